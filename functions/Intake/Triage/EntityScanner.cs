using System.Buffers;
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

            var end = i + 1;
            while (end < text.Length && char.IsAsciiLetterOrDigit(text[end]))
            {
                end++;
            }

            if (end - i >= 25)
            {
                Classify(text, folded, i, end, labels, entities, secrets, rulesFired, ref checksumMismatch);
            }

            i = end;
        }
    }

    private void Classify(string text, ReadOnlySpan<char> folded, int start, int end, List<LabelMatch> labels, List<EntitySpan> entities, List<SecretSpan> secrets, List<string> rulesFired, ref bool checksumMismatch)
    {
        var token = text.AsSpan(start, end - start);
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
