namespace AudioEmbed.PowerShell;
