namespace Tuntas.Targeting;

/// <summary>A fixed 64-bit mixer (MurmurHash3's finaliser): the same on every machine and .NET version, unlike HashCode.</summary>
public static class StableHash
{
    public static long Mix(long value)
    {
        var x = (ulong)value;
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        x ^= x >> 33;
        return (long)x;
    }
}
