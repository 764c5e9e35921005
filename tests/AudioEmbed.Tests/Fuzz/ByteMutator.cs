namespace AudioEmbed.Tests.Fuzz;

/// <summary>One edit of a mutation, kept so that a failing input can be saved as its seed plus these few edits.</summary>
public sealed record MutationOp(string Kind, int Offset, int Length, byte[] Data);

/// <summary>
/// The mutations of the in-process fuzzer: overwritten bytes, bit flips, runs of extreme values (lengths and counts at
/// 0 or all ones), truncation, inserted bytes, a repeated block and a deleted one. Biased towards the start of the
/// file, where headers (and the sizes a reader might trust) live. A mutation is planned as edits, then applied.
/// </summary>
public static class ByteMutator
{
    public static (byte[] Bytes, IReadOnlyList<MutationOp> Ops) Mutate(byte[] source, Random rng)
    {
        var ops = new List<MutationOp>();
        var bytes = source;
        for (int r = rng.Next(1, 4); r > 0; r--)
        {
            var op = Plan(bytes.Length, rng);
            ops.Add(op);
            bytes = Apply(bytes, op);
        }
        return (bytes, ops);
    }

    public static byte[] Apply(byte[] source, IEnumerable<MutationOp> ops) => ops.Aggregate(source, Apply);

    private static int Position(int length, Random rng) =>
        // Half of the edits land in the first 512 bytes (headers), the rest anywhere.
        rng.Next(2) == 0 ? rng.Next(Math.Min(length, 512)) : rng.Next(length);

    private static MutationOp Plan(int length, Random rng)
    {
        if (length == 0) return new MutationOp("insert", 0, 1, new[] { (byte)rng.Next(256) });
        int at = Position(length, rng);
        int room = length - at;
        switch (rng.Next(7))
        {
            case 0:
            {
                var data = new byte[Math.Min(room, rng.Next(1, 9))];
                rng.NextBytes(data);
                return new MutationOp("overwrite", at, data.Length, data);
            }
            case 1:
                return new MutationOp("xor", at, 1, new[] { (byte)(1 << rng.Next(8)) });
            case 2:
            {
                byte fill = rng.Next(3) switch { 0 => 0x00, 1 => 0xFF, _ => 0x7F };
                return new MutationOp("overwrite", at, Math.Min(room, rng.Next(1, 9)), Enumerable.Repeat(fill, Math.Min(room, 8)).ToArray());
            }
            case 3:
                return new MutationOp("truncate", rng.Next(length), 0, Array.Empty<byte>());
            case 4:
            {
                var data = new byte[rng.Next(1, 17)];
                rng.NextBytes(data);
                return new MutationOp("insert", at, data.Length, data);
            }
            case 5:
                return new MutationOp("duplicate", at, Math.Min(room, rng.Next(1, 257)), Array.Empty<byte>());
            default:
                return new MutationOp("delete", at, Math.Min(room, rng.Next(1, 65)), Array.Empty<byte>());
        }
    }

    private static byte[] Apply(byte[] bytes, MutationOp op)
    {
        switch (op.Kind)
        {
            case "overwrite":
            {
                var copy = (byte[])bytes.Clone();
                op.Data.AsSpan(0, op.Length).CopyTo(copy.AsSpan(op.Offset));
                return copy;
            }
            case "xor":
            {
                var copy = (byte[])bytes.Clone();
                copy[op.Offset] ^= op.Data[0];
                return copy;
            }
            case "truncate": return bytes.AsSpan(0, op.Offset).ToArray();
            case "insert": return [.. bytes.AsSpan(0, op.Offset), .. op.Data, .. bytes.AsSpan(op.Offset)];
            case "duplicate": return [.. bytes.AsSpan(0, op.Offset + op.Length), .. bytes.AsSpan(op.Offset, op.Length), .. bytes.AsSpan(op.Offset + op.Length)];
            case "delete": return [.. bytes.AsSpan(0, op.Offset), .. bytes.AsSpan(op.Offset + op.Length)];
            default: throw new InvalidDataException($"unknown mutation '{op.Kind}'");
        }
    }
}
