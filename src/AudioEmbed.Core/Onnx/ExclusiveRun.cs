using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Core.Onnx;

/// <summary>
/// How every extractor runs its model: one Run at a time per session, stopped promptly by cancellation.
/// A session's intra-op pool already keeps every core busy (see <see cref="SessionFactory"/>), so two Runs at once
/// only oversubscribe the CPU (measured 7–19 % fewer files per minute with two workers). Workers still decode and
/// compute features in parallel; they queue here only for the model, which turns -ThrottleLimit into overlap of
/// decoding with inference rather than a contest for the cores.
/// </summary>
public static class ExclusiveRun
{
    private static readonly ConditionalWeakTable<InferenceSession, SemaphoreSlim> Gates = new();

    /// <summary>
    /// Waits for the session (cancellable), runs, and lets the next worker in. Cancellation also terminates a Run in
    /// progress (Ctrl+C during a long model run) and surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    public static IDisposableReadOnlyCollection<OrtValue> RunExclusive(this InferenceSession session,
        IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputs, IReadOnlyCollection<string> outputNames,
        CancellationToken ct)
    {
        var gate = Gates.GetValue(session, _ => new SemaphoreSlim(1, 1));
        gate.Wait(ct);
        try
        {
            using var options = new RunOptions();
            using var stop = ct.Register(() => options.Terminate = true);
            try { return session.Run(options, inputNames, inputs, outputNames); }
            catch (OnnxRuntimeException) when (ct.IsCancellationRequested) { throw new OperationCanceledException(ct); }
        }
        finally { gate.Release(); }
    }
}
