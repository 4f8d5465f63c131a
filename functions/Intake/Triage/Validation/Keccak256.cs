using System.Buffers.Binary;
using System.Numerics;

namespace Intake.Triage.Validation;

/// <summary>
/// The original Keccak-256 (as used by Ethereum): Keccak-f[1600], rate 136 bytes, capacity 512 bits and
/// multi-rate padding starting with 0x01. This is not FIPS-202 SHA3-256, whose padding starts with 0x06.
/// Allocation-free and thread-safe; the state lives on the stack.
/// </summary>
internal static class Keccak256
{
    /// <summary>Digest size in bytes.</summary>
    public const int HashSizeInBytes = 32;

    private const int RateInBytes = 136;
    private const int RateInLanes = RateInBytes / 8;
    private const int Rounds = 24;

    private static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808aUL, 0x8000000080008000UL,
        0x000000000000808bUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008aUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000aUL,
        0x000000008000808bUL, 0x800000000000008bUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800aUL, 0x800000008000000aUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    // Rho rotation offsets, in the order lanes are visited by the combined rho-pi walk below.
    private static ReadOnlySpan<byte> RotationOffsets =>
    [
        1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
    ];

    // Destination lane of each step of the rho-pi walk, which starts from lane 1.
    private static ReadOnlySpan<byte> PiLanes =>
    [
        10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
    ];

    /// <summary>
    /// Writes Keccak-256(<paramref name="data"/>) to the first 32 bytes of <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < HashSizeInBytes)
        {
            throw new ArgumentException("The destination must hold at least 32 bytes.", nameof(destination));
        }

        Span<ulong> state = stackalloc ulong[25];
        state.Clear();

        while (data.Length >= RateInBytes)
        {
            AbsorbBlock(state, data[..RateInBytes]);
            Permute(state);
            data = data[RateInBytes..];
        }

        Span<byte> last = stackalloc byte[RateInBytes];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[RateInBytes - 1] ^= 0x80;
        AbsorbBlock(state, last);
        Permute(state);

        for (var i = 0; i < HashSizeInBytes / 8; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(i * 8)..], state[i]);
        }
    }

    private static void AbsorbBlock(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < RateInLanes; i++)
        {
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
        }
    }

    private static void Permute(Span<ulong> a)
    {
        Span<ulong> c = stackalloc ulong[5];
        for (var round = 0; round < Rounds; round++)
        {
            // Theta
            for (var x = 0; x < 5; x++)
            {
                c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
            }

            for (var x = 0; x < 5; x++)
            {
                var d = c[(x + 4) % 5] ^ BitOperations.RotateLeft(c[(x + 1) % 5], 1);
                for (var y = 0; y < 25; y += 5)
                {
                    a[y + x] ^= d;
                }
            }

            // Rho and pi
            var current = a[1];
            for (var i = 0; i < 24; i++)
            {
                int lane = PiLanes[i];
                var next = a[lane];
                a[lane] = BitOperations.RotateLeft(current, RotationOffsets[i]);
                current = next;
            }

            // Chi
            for (var y = 0; y < 25; y += 5)
            {
                for (var x = 0; x < 5; x++)
                {
                    c[x] = a[y + x];
                }

                for (var x = 0; x < 5; x++)
                {
                    a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
                }
            }

            // Iota
            a[0] ^= RoundConstants[round];
        }
    }
}
