using System.Buffers;
using Intake.Triage.Text;
using Intake.Triage.Validation;

namespace Intake.Triage;

/// <summary>
/// Transaction hashes, addresses and the keys that look like them. Every candidate is a maximal run of ASCII
/// letters and digits, validated by its own rules (EIP-55, Base58Check, bech32/bech32m, TRON). A 64-hex string
/// is a transaction hash unless the text calls it a key.
/// </summary>
internal sealed class EntityScanner(CompiledRules rules)
{
    private const int WeakLabelGap = 3;

    // A wrapped key's first line ends in a run at least this long; an extended key is 111 characters.
    private const int MinWrappedLine = 8;
    private const int MaxWrappedKey = 120;
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<char> SentenceEnds = SearchValues.Create(".!?\n\u3002\uFF01\uFF1F");
    private static readonly SearchValues<char> WeakLabelGapChars = SearchValues.Create(" :=");

    public void Scan(string text, ReadOnlySpan<char> folded, List<LabelMatch> labels, List<EntitySpan> entities, List<SecretSpan> secrets, List<string> rulesFired, ref bool checksumMismatch)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var end = RunEnd(text, i, out var hidden);
            if (end < text.Length && text[end] is '\r' or '\n' && end - i >= MinWrappedLine && TryWrappedKey(text, folded, i, end, labels, secrets, out var keyEnd))
            {
                i = keyEnd;
                continue;
            }

            var token = hidden ? Visible(text, i, end) : text.AsSpan(i, end - i);
            if (token.Length >= 25)
            {
                Classify(text, folded, token, i, end, labels, entities, secrets, rulesFired, ref checksumMismatch);
            }

            i = end;
        }
    }

    /// <summary>
    /// The end of a run of ASCII letters and digits from <paramref name="start"/>; zero-width characters between two of
    /// them (<paramref name="hidden"/>) do not end it, as a key pasted from some pages or chats carries them.
    /// </summary>
    private static int RunEnd(string text, int start, out bool hidden)
    {
        hidden = false;
        var end = start + 1;
        while (end < text.Length)
        {
            if (char.IsAsciiLetterOrDigit(text[end]))
            {
                end++;
                continue;
            }

            var k = end;
            while (k < text.Length && k - end < 8 && CharClass.IsZeroWidth(text[k]))
            {
                k++;
            }

            if (k == end || k == text.Length || !char.IsAsciiLetterOrDigit(text[k]))
            {
                break;
            }

            hidden = true;
            end = k;
        }

        return end;
    }

    private static ReadOnlySpan<char> Visible(string text, int start, int end)
    {
        var visible = new char[end - start];
        var length = 0;
        for (var k = start; k < end; k++)
        {
            if (!CharClass.IsZeroWidth(text[k]))
            {
                visible[length++] = text[k];
            }
        }

        return visible.AsSpan(0, length);
    }

    /// <summary>
    /// A key wrapped over lines, as a narrow window or a mail client leaves it ("xprv9s21…\n…", perhaps quoted with '>'):
    /// the run at a line's end and the runs that fill the next lines, joined, make a checksum-valid WIF or extended key,
    /// or 64 hex digits the text calls a private key. Only those shapes are joined, so ordinary lines never are.
    /// </summary>
    private bool TryWrappedKey(string text, ReadOnlySpan<char> folded, int start, int end, List<LabelMatch> labels, List<SecretSpan> secrets, out int keyEnd)
    {
        const int MaxLines = 4;
        keyEnd = end;
        Span<int> starts = stackalloc int[MaxLines];
        Span<int> ends = stackalloc int[MaxLines];
        Span<int> lengths = stackalloc int[MaxLines];
        starts[0] = start;
        ends[0] = end;
        lengths[0] = VisibleLength(text, start, end);
        var lines = 1;
        var total = lengths[0];
        while (lines < MaxLines && total < MaxWrappedKey && ends[lines - 1] < text.Length)
        {
            var p = ends[lines - 1];
            p += text[p] == '\r' ? 1 : 0;
            if (p >= text.Length || text[p] != '\n')
            {
                break;
            }

            p++;
            for (var indent = 0; p < text.Length && indent < 8 && text[p] is ' ' or '\t' or '>'; indent++)
            {
                p++;
            }

            if (p >= text.Length || !char.IsAsciiLetterOrDigit(text[p]))
            {
                break;
            }

            starts[lines] = p;
            ends[lines] = RunEnd(text, p, out _);
            lengths[lines] = VisibleLength(text, p, ends[lines]);
            total += lengths[lines];
            lines++;
        }

        Span<char> buffer = stackalloc char[MaxWrappedKey];
        for (var count = lines; count >= 2; count--)
        {
            var length = 0;
            for (var k = 0; k < count; k++)
            {
                length += lengths[k];
            }

            if (length is not (51 or 52 or 64 or 66) && length is < 100 or > MaxWrappedKey)
            {
                continue;
            }

            var joined = buffer[..length];
            var at = 0;
            for (var k = 0; k < count; k++)
            {
                for (var c = starts[k]; c < ends[k]; c++)
                {
                    if (!CharClass.IsZeroWidth(text[c]))
                    {
                        joined[at++] = text[c];
                    }
                }
            }

            var rule = WrappedKeyRule(text, folded, joined, start, ends[count - 1], labels);
            if (rule is not null)
            {
                secrets.Add(new SecretSpan(start, ends[count - 1], SecretKind.PrivateKey, rule));
                keyEnd = ends[count - 1];
                return true;
            }
        }

        return false;
    }

    private string? WrappedKeyRule(string text, ReadOnlySpan<char> folded, ReadOnlySpan<char> joined, int start, int end, List<LabelMatch> labels)
    {
        if (joined.Length is 51 or 52)
        {
            return CryptoKeys.IsWif(joined) ? "secret.private_key.wif" : null;
        }

        if (joined.Length >= 100)
        {
            return CryptoKeys.IsExtendedPrivateKey(joined) ? "secret.private_key.extended" : null;
        }

        var hex = joined.Length == 66 && joined[0] == '0' && joined[1] is 'x' or 'X' ? joined[2..] : joined;
        return hex.Length == 64 && !hex.ContainsAnyExcept(HexDigits) && LabelFor(text, folded, start, end, labels) == LabelKind.PrivateKey
            ? "secret.private_key.labelled_hex"
            : null;
    }

    private static int VisibleLength(string text, int start, int end)
    {
        var length = end - start;
        for (var k = start; k < end; k++)
        {
            length -= CharClass.IsZeroWidth(text[k]) ? 1 : 0;
        }

        return length;
    }

    private void Classify(
        string text, ReadOnlySpan<char> folded, ReadOnlySpan<char> token, int start, int end, List<LabelMatch> labels, List<EntitySpan> entities, List<SecretSpan> secrets,
        List<string> rulesFired, ref bool checksumMismatch)
    {
        var prefixed = token.Length > 2 && token[0] == '0' && token[1] is 'x' or 'X';
        var hex = prefixed ? token[2..] : token;
        if (hex.ContainsAnyExcept(HexDigits))
        {
            ClassifyNonHex(token, start, end, entities, secrets);
            return;
        }

        if (prefixed && hex.Length == 40)
        {
            if (Eip55.IsValidAddress(token))
            {
                entities.Add(new EntitySpan(start, end, EntityKind.Address));
            }
            else
            {
                checksumMismatch = true;
                Fire(rulesFired, "entity.address.eip55_mismatch");
            }

            return;
        }

        if (hex.Length != 64)
        {
            return;
        }

        switch (LabelFor(text, folded, start, end, labels))
        {
            case LabelKind.PrivateKey:
                secrets.Add(new SecretSpan(start, end, SecretKind.PrivateKey, "secret.private_key.labelled_hex"));
                break;
            case LabelKind.PublicKey:
                break;
            default:
                entities.Add(new EntitySpan(start, end, EntityKind.TxHash));
                break;
        }
    }

    private static void ClassifyNonHex(ReadOnlySpan<char> token, int start, int end, List<EntitySpan> entities, List<SecretSpan> secrets)
    {
        if (token.Length is >= 14 and <= 90 && IsSegwitPrefix(token))
        {
            if (Bech32.IsSegwitAddress(token))
            {
                entities.Add(new EntitySpan(start, end, EntityKind.Address));
            }

            return;
        }

        switch (token.Length)
        {
            case <= 35 when CryptoKeys.IsBitcoinBase58Address(token) || CryptoKeys.IsTronAddress(token):
                entities.Add(new EntitySpan(start, end, EntityKind.Address));
                break;
            case 51 or 52 when CryptoKeys.IsWif(token):
                secrets.Add(new SecretSpan(start, end, SecretKind.PrivateKey, "secret.private_key.wif"));
                break;
            case >= 100 when CryptoKeys.IsExtendedPrivateKey(token):
                secrets.Add(new SecretSpan(start, end, SecretKind.PrivateKey, "secret.private_key.extended"));
                break;
            case >= 100 when CryptoKeys.LooksLikeExtendedPrivateKey(token):
                // A mistyped extended key still gives most of the key away.
                secrets.Add(new SecretSpan(start, end, SecretKind.PrivateKey, "secret.private_key.extended_unverified"));
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// The label that governs a 64-hex string: the nearest key, public-key or hash label before it in the same
    /// sentence, else a key label just after it ("... is my private key"). Weak key labels ("key") count only
    /// when nothing but a separator stands between them and the string.
    /// </summary>
    private LabelKind? LabelFor(string text, ReadOnlySpan<char> folded, int start, int end, List<LabelMatch> labels)
    {
        LabelMatch? nearest = null;
        foreach (var label in labels)
        {
            if (label.Kind is not (LabelKind.PrivateKey or LabelKind.PrivateKeyWeak or LabelKind.PublicKey or LabelKind.TxHash)
                || label.End > start || start - label.End > rules.HexLabelWindow
                || text.AsSpan(label.End, start - label.End).IndexOfAny(SentenceEnds) >= 0)
            {
                continue;
            }

            if (label.Kind == LabelKind.PrivateKeyWeak
                && (start - label.End > WeakLabelGap || folded[label.End..start].ContainsAnyExcept(WeakLabelGapChars)))
            {
                continue;
            }

            if (nearest is null || label.End > nearest.Value.End)
            {
                nearest = label;
            }
        }

        if (nearest is { } found)
        {
            return found.Kind == LabelKind.PrivateKeyWeak ? LabelKind.PrivateKey : found.Kind;
        }

        foreach (var label in labels)
        {
            if (label.Kind == LabelKind.PrivateKey && label.Start >= end && label.Start - end <= rules.HexLabelAfterWindow
                && text.AsSpan(end, label.Start - end).IndexOfAny(SentenceEnds) < 0)
            {
                return LabelKind.PrivateKey;
            }
        }

        return null;
    }

    private static bool IsSegwitPrefix(ReadOnlySpan<char> token) =>
        token.StartsWith("bc1", StringComparison.OrdinalIgnoreCase)
        || token.StartsWith("tb1", StringComparison.OrdinalIgnoreCase)
        || token.StartsWith("bcrt1", StringComparison.OrdinalIgnoreCase);

    private static void Fire(List<string> rulesFired, string rule)
    {
        if (!rulesFired.Contains(rule))
        {
            rulesFired.Add(rule);
        }
    }
}
