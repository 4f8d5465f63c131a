using System.Security.Cryptography;

namespace Intake.Tickets;

/// <summary>Ticket ids that sort by creation time, and short references a customer can read out on the phone.</summary>
public static class TicketIds
{
    // Crockford's base32 for ids; for references, no 0/O, 1/I/L, or U/V lookalikes.
    private const string IdAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string ReferenceAlphabet = "ABCDEFGHJKMNPQRSTWXYZ23456789";
    private const int ReferenceLength = 6;
    private static readonly System.Buffers.SearchValues<char> ReferenceChars = System.Buffers.SearchValues.Create(ReferenceAlphabet);

    /// <summary>A ULID: 48 bits of milliseconds, then 80 random bits, as 26 characters that sort as they were made.</summary>
    public static string NewId(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Span<char> id = stackalloc char[26];
        var milliseconds = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--)
        {
            id[i] = IdAlphabet[(int)(milliseconds & 31)];
            milliseconds >>= 5;
        }

        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        for (var i = 10; i < 26; i++)
        {
            id[i] = IdAlphabet[random[i - 10] & 31];
        }

        return new string(id);
    }

    public static string NewReference() => "T-" + RandomNumberGenerator.GetString(ReferenceAlphabet, ReferenceLength);

    /// <summary>Accepts what a customer types: any case, spaces or a missing "T-"; returns the canonical form.</summary>
    public static bool TryNormalizeReference(string? text, out string reference)
    {
        reference = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var compact = text.Trim().ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
        if (compact.StartsWith("T-", StringComparison.Ordinal))
        {
            compact = compact[2..];
        }

        if (compact.Length != ReferenceLength || compact.AsSpan().ContainsAnyExcept(ReferenceChars))
        {
            return false;
        }

        reference = "T-" + compact;
        return true;
    }
}
