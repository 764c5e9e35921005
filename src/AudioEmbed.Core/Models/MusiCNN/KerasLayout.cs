namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>Rearranges Keras (TensorFlow, channels-last) weight layouts into ONNX's channels-first ones.</summary>
internal static class KerasLayout
{
    /// <summary>Conv2D kernel (kh, kw, in, out) → ONNX Conv weight (out, in, kh, kw).</summary>
    public static float[] HwioToOihw(float[] k, int kh, int kw, int cin, int cout)
    {
        var w = new float[k.Length];
        for (int h = 0; h < kh; h++)
            for (int x = 0; x < kw; x++)
                for (int i = 0; i < cin; i++)
                    for (int o = 0; o < cout; o++)
                        w[((o * cin + i) * kh + h) * kw + x] = k[((h * kw + x) * cin + i) * cout + o];
        return w;
    }
}
