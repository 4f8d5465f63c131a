using System.Security.Cryptography;

namespace Intake.Tickets;

/// <summary>Ticket ids that sort by creation time, ending in a short reference a customer can read out on the phone.</summary>
public static class TicketIds
{
    // Crockford's base32 for ids; for references, no 0/O, 1/I/L, or U/V lookalikes.
    private const string IdAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string ReferenceAlphabet = "ABCDEFGHJKMNPQRSTWXYZ23456789";
    private const int ReferenceLength = 6;
    private static readonly System.Buffers.SearchValues<char> ReferenceChars = System.Buffers.SearchValues.Create(ReferenceAlphabet);
    private static readonly System.Buffers.SearchValues<char> IdChars = System.Buffers.SearchValues.Create(IdAlphabet);

    /// <summary>
    /// A ULID-shaped id: 48 bits of milliseconds then random characters, 26 in all, sorting as they were made. Its last
    /// six characters are the ticket's reference (drawn from the reference alphabet, which Crockford's includes), so
    /// either finds the other without a lookup: the store keys each ticket's partition by its reference.
    /// </summary>
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

        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        for (var i = 10; i < 20; i++)
        {
            id[i] = IdAlphabet[random[i - 10] & 31];
        }

        RandomNumberGenerator.GetItems(ReferenceAlphabet, id[20..]);
        return new string(id);
    }

    /// <summary>The reference within an id (<c>T-</c> and its last six characters); false for anything not shaped like one.</summary>
    public static bool TryGetReference(string? id, out string reference)
    {
        reference = "";
        if (id is not { Length: 26 } || id.AsSpan(20).ContainsAnyExcept(ReferenceChars) || id.AsSpan(0, 20).ContainsAnyExcept(IdChars))
        {
            return false;
        }

        reference = "T-" + id[20..];
        return true;
    }

    public static string ReferenceOf(string id) =>
        TryGetReference(id, out var reference) ? reference : throw new ArgumentException($"'{id}' is not a ticket id.", nameof(id));

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
