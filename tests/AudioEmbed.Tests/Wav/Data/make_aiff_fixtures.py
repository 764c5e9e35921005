# Writes the AIFF/AIFC test files with Python's own aifc module (an independent writer; Python <= 3.12).
# Sample value for frame i, channel c (signed, `bits` wide): ((i * 211 + c * 7919) % 2**bits) - 2**(bits - 1).
# The C# test recomputes these values and expects value / 2**(bits - 1).
import aifc, warnings
warnings.simplefilter("ignore", DeprecationWarning)

def value(i, c, bits):
    return ((i * 211 + c * 7919) % (1 << bits)) - (1 << (bits - 1))

def write(name, aifc_form, channels, width, rate, frames):
    bits = width * 8
    f = aifc.open(name, "wb")
    if aifc_form: f.aifc()
    else: f.aiff()
    f.setnchannels(channels); f.setsampwidth(width); f.setframerate(rate)
    data = bytearray()
    for i in range(frames):
        for c in range(channels):
            data += value(i, c, bits).to_bytes(width, "big", signed=True)
    f.writeframes(bytes(data))
    f.close()

write("aiff_s16_stereo_22050.aiff", False, 2, 2, 22050, 1000)
write("aifc_s24_mono_44100.aifc", True, 1, 3, 44100, 777)
write("aiff_s8_3ch_8000.aiff", False, 3, 1, 8000, 501)
