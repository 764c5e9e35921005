namespace AudioEmbed.Core.Dsp;

/// <summary>Analysis windows of Kaldi's feature extraction (torchaudio's <c>window_type</c> names in brackets).</summary>
public enum KaldiFbankWindowType
{
    /// <summary>Symmetric Hann raised to the power 0.85 (<c>'povey'</c>, Kaldi's default).</summary>
    Povey,

    /// <summary>Symmetric Hann, 0.5 - 0.5 cos(2 pi n / (N - 1)) (<c>'hanning'</c>).</summary>
    Hann,

    /// <summary>Symmetric Hamming, 0.54 - 0.46 cos(2 pi n / (N - 1)) (<c>'hamming'</c>).</summary>
    Hamming,

    /// <summary>All ones (<c>'rectangular'</c>).</summary>
    Rectangular,
}
