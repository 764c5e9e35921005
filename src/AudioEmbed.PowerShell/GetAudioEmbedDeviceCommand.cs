using System.Management.Automation;
using AudioEmbed.Core.Onnx;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Reports the execution devices the loaded ONNX Runtime offers, each tried with a tiny model: what -Device can use
/// on this machine, and for the others what to install.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AudioEmbedDevice")]
[OutputType(typeof(DeviceStatus))]
public sealed class GetAudioEmbedDeviceCommand : PSCmdlet
{
    /// <summary>Devices to try; all by default. Auto reports the device Get-AudioEmbedding -Device Auto would use.</summary>
    [Parameter(Position = 0)]
    public ExecutionDevice[]? Device { get; set; }

    [Parameter]
    [ValidateRange(0, 64)]
    public int DeviceId { get; set; }

    /// <summary>Only the devices that initialised.</summary>
    [Parameter]
    public SwitchParameter Available { get; set; }

    protected override void EndProcessing()
    {
        foreach (var device in Device ?? DeviceProbe.Devices.ToArray())
        {
            var status = device == ExecutionDevice.Auto ? DeviceProbe.ResolveAuto(DeviceId) : DeviceProbe.Probe(device, DeviceId);
            WriteVerbose($"{status.Device} ({status.Provider}, device {status.DeviceId}): {(status.Available ? "initialised" : status.Reason)}");
            if (!Available || status.Available) WriteObject(status);
        }
    }
}
