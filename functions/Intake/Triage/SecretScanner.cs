using Intake.Triage.Text;

namespace Intake.Triage;

/// <summary>Secrets the customer labels: "password: ...", "api secret ...", "2FA code 123456", "密码是 ...".</summary>
internal sealed class SecretScanner(CompiledRules rules)
{
    private const int MaxLabelGap = 24;
    private const int MaxWordsBeforeValue = 4;

    public void Scan(string text, ReadOnlySpan<char> folded, List<LabelMatch> labels, List<EntitySpan> entities, List<SecretSpan> secrets)
    {
        KeyBlocks(text, entities, secrets);
        foreach (var label in labels)
        {
            switch (label.Kind)
            {
                case LabelKind.Password or LabelKind.PasswordWeak:
                    TryValue(text, folded, label, SecretKind.Password, entities, secrets);
                    break;
                case LabelKind.ApiSecret or LabelKind.ApiSecretWeak:
                    TryValue(text, folded, label, SecretKind.ApiSecret, entities, secrets);
                    break;
                case LabelKind.Otp:
                    TryOtp(text, folded, label, entities, secrets);
                    break;
                default:
                    break;
            }
        }
    }

    private void TryValue(string text, ReadOnlySpan<char> folded, LabelMatch label, SecretKind kind, List<EntitySpan> entities, List<SecretSpan> secrets)
    {
        var position = ValueReader.SkipSeparators(folded, label.End, rules.ValueSeparators, MaxLabelGap, out var explicitMark, out var word);
        var weak = label.Kind is LabelKind.PasswordWeak or LabelKind.ApiSecretWeak;

        // "a senha da corretora", "la contraseña del correo": a preposition says whose password, not what it is.
        var ofWhat = !explicitMark && folded[label.End..position].Trim() is "da" or "do" or "de" or "del" or "das" or "dos";
        var separated = explicitMark || (word && !ofWhat) || (position == label.End && CjkLabel(folded, label));
        if (weak && !explicitMark)
        {
            return;
        }

        if (!ValueReader.TryRead(text, position, out var start, out var end)
            || SpanList.Overlaps(secrets, start, end)
            || SpanList.Overlaps(entities, start, end))
        {
            return;
        }

        // Without ':' or "is" ("şifrem Ankara_1923x", "my password Tr0ub4dor&3 fails") only a value that cannot be
        // a word of the sentence counts.
        var value = text.AsSpan(start, end - start);
        var counts = separated || (position > label.End && LooksGenerated(value));
        if (!counts && !ofWhat)
        {
            return;
        }

        var plausible = counts && (kind == SecretKind.Password
            ? IsPassword(value, folded.Slice(start, end - start), explicitMark)
            : IsApiSecret(value));
        if (plausible)
        {
            secrets.Add(new SecretSpan(start, end, kind, kind == SecretKind.Password ? "secret.password.labelled" : "secret.api_secret.labelled"));
            return;
        }

        // "API secret của tôi là AJ1opt…", "password for my email account: …": a few short words may stand between
        // the label and the value, when the value cannot be a word of the sentence.
        for (var words = 0; words < MaxWordsBeforeValue && IsShortWord(value); words++)
        {
            position = ValueReader.SkipSeparators(folded, end, rules.ValueSeparators, MaxLabelGap, out var mark, out _);
            if (position >= text.Length || position == end || !ValueReader.TryRead(text, position, out start, out end)
                || SpanList.Overlaps(secrets, start, end) || SpanList.Overlaps(entities, start, end))
            {
                return;
            }

            value = text.AsSpan(start, end - start);
            if (LooksGenerated(value) && (kind == SecretKind.Password
                ? IsPassword(value, folded.Slice(start, end - start), mark)
                : IsApiSecret(value)))
            {
                secrets.Add(new SecretSpan(start, end, kind, kind == SecretKind.Password ? "secret.password.labelled" : "secret.api_secret.labelled"));
                return;
            }
        }
    }

    private void TryOtp(string text, ReadOnlySpan<char> folded, LabelMatch label, List<EntitySpan> entities, List<SecretSpan> secrets)
    {
        var position = label.End;
        for (var round = 0; round < 2; round++)
        {
            position = ValueReader.SkipSeparators(folded, position, rules.ValueSeparators, MaxLabelGap, out _, out _);
            position = ValueReader.SkipSeparators(folded, position, rules.OtpFillers, MaxLabelGap, out _, out _);
        }

        if (position < text.Length && !char.IsAsciiDigit(text[position]))
        {
            // "OTP, em nhập mã 204518": a six-digit code further on in the same sentence.
            position = SixDigitsAhead(text, position);
        }

        if (position < 0 || position >= text.Length || !char.IsAsciiDigit(text[position]) || (position > 0 && char.IsAsciiLetterOrDigit(text[position - 1])))
        {
            return;
        }

        // Four to eight digits, possibly grouped as "482 913" or "482-913".
        var end = position;
        var digits = 0;
        while (end < text.Length)
        {
            if (char.IsAsciiDigit(text[end]))
            {
                digits++;
                end++;
            }
            else if (text[end] is ' ' or '-' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1]) && digits is 3 or 4)
            {
                end++;
            }
            else
            {
                break;
            }
        }

        if (digits is < 4 or > 8 || (end < text.Length && char.IsAsciiLetter(text[end])) || SpanList.Overlaps(entities, position, end))
        {
            return;
        }

        if (!SpanList.Overlaps(secrets, position, end))
        {
            secrets.Add(new SecretSpan(position, end, SecretKind.Otp, "secret.otp.labelled"));
        }
    }

    private static int SixDigitsAhead(string text, int position)
    {
        const int Window = 32;
        var limit = Math.Min(text.Length, position + Window);
        for (var i = position; i < limit; i++)
        {
            var c = text[i];
            if (c is '.' or '!' or '?' or ';' or '\n' or '\u3002' or '\uFF01' or '\uFF1F')
            {
                return -1;
            }

            if (char.IsAsciiDigit(c) && (i == 0 || !char.IsAsciiLetterOrDigit(text[i - 1])))
            {
                var end = i;
                while (end < text.Length && char.IsAsciiDigit(text[end]))
                {
                    end++;
                }

                // Six digits, or two groups of three as authenticator apps show them ("731 904").
                if (end - i == 3 && end + 4 <= text.Length && text[end] is ' ' or '-'
                    && char.IsAsciiDigit(text[end + 1]) && char.IsAsciiDigit(text[end + 2]) && char.IsAsciiDigit(text[end + 3]))
                {
                    end += 4;
                    if (end < text.Length && char.IsAsciiDigit(text[end]))
                    {
                        i = end;
                        continue;
                    }
                }
                else if (end - i != 6)
                {
                    i = end;
                    continue;
                }

                if (end == text.Length || !char.IsAsciiLetterOrDigit(text[end]))
                {
                    return i;
                }

                i = end;
            }
        }

        return -1;
    }

    private bool IsPassword(ReadOnlySpan<char> value, ReadOnlySpan<char> folded, bool explicitMark)
    {
        if (value.Length < 4)
        {
            return false;
        }

        // A word quoted from a notice keeps its closing mark ("пароль был успешно изменён»"): judge the word without it.
        var closed = value.TrimEnd(ClosingMarks);
        if (closed.Length < value.Length && closed.Length > 0)
        {
            value = closed;
            folded = folded[..closed.Length];
        }

        if (rules.PasswordStopValues.GetAlternateLookup<ReadOnlySpan<char>>().Contains(folded))
        {
            return false;
        }

        // A plain lower-case word is usually the sentence going on ("password: nothing changed", "password is
        // expired"), not the password: an everyday word never counts, and without ':' or '=' a short one does not.
        var plainWord = true;
        foreach (var c in value)
        {
            if (!char.IsLower(c))
            {
                plainWord = false;
                break;
            }
        }

        if (plainWord && rules.CommonWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(folded))
        {
            return false;
        }

        return explicitMark || !plainWord || value.Length >= 8;
    }

    private const string ClosingMarks = "»\"'”’)」』》〉.,;:!?…";

    /// <summary>A word of the sentence between a label and its value: letters only, and short.</summary>
    private static bool IsShortWord(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > 8)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsLetter(c) && CharClass.Of(c) != CharKind.Mark)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Six or more characters mixing letters with digits or symbols: a password or a key, not a word.</summary>
    private static bool LooksGenerated(ReadOnlySpan<char> value)
    {
        if (value.Length < 6)
        {
            return false;
        }

        bool letter = false, other = false;
        foreach (var c in value)
        {
            if (char.IsLetter(c))
            {
                letter = true;
            }
            else if (!char.IsWhiteSpace(c) && c is not ('\'' or '-' or '.' or ','))
            {
                other = true;
            }
        }

        return letter && other;
    }

    private static bool IsApiSecret(ReadOnlySpan<char> value)
    {
        if (value.Length < 16)
        {
            return false;
        }

        bool lower = false, upper = false, digit = false;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterLower(c))
            {
                lower = true;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                upper = true;
            }
            else if (char.IsAsciiDigit(c))
            {
                digit = true;
            }
            else if (c is not ('+' or '/' or '=' or '_' or '-' or '.'))
            {
                return false;
            }
        }

        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) >= 2;
    }

    /// <summary>"密码abc123": a CJK label may run straight into its value.</summary>
    private static bool CjkLabel(ReadOnlySpan<char> folded, LabelMatch label) => CharClass.IsCjk(folded[label.End - 1]);

    private const string BeginArmour = "-----BEGIN ";
    private const string EndArmour = "-----END ";
    private const string Dashes = "-----";

    /// <summary>
    /// Private keys in their PEM or PGP armour (<c>-----BEGIN OPENSSH PRIVATE KEY-----</c>, <c>RSA</c>, <c>EC</c>,
    /// <c>ENCRYPTED</c>, <c>PGP PRIVATE KEY BLOCK</c>…): unambiguous, so redacted whole whatever the text says about them,
    /// header to footer. A block cut off before its footer loses what follows its header as long as it is armour (base64
    /// lines, <c>Name: value</c> header lines, blank lines). Public keys and certificates are not secrets. Nothing inside
    /// a block counts as an entity.
    /// </summary>
    private static void KeyBlocks(string text, List<EntitySpan> entities, List<SecretSpan> secrets)
    {
        for (var at = text.IndexOf(BeginArmour, StringComparison.Ordinal); at >= 0; at = text.IndexOf(BeginArmour, at + 1, StringComparison.Ordinal))
        {
            var labelStart = at + BeginArmour.Length;
            var labelEnd = text.IndexOf(Dashes, labelStart, StringComparison.Ordinal);
            if (labelEnd < 0 || labelEnd - labelStart > 64 || !text.AsSpan(labelStart, labelEnd - labelStart).Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                continue;
            }

            var bodyStart = labelEnd + Dashes.Length;
            var footer = text.IndexOf(EndArmour, bodyStart, StringComparison.Ordinal);
            var footerEnd = footer < 0 ? -1 : text.IndexOf(Dashes, footer + EndArmour.Length, StringComparison.Ordinal);
            var end = footerEnd >= 0 && footerEnd - footer <= 80 && IsArmour(text.AsSpan(bodyStart, footer - bodyStart))
                ? footerEnd + Dashes.Length
                : ArmourEnd(text, bodyStart);
            secrets.Add(new SecretSpan(at, end, SecretKind.PrivateKey, "secret.private_key.armoured"));
            entities.RemoveAll(entity => entity.Start < end && at < entity.End);
            at = end - 1;
        }
    }

    /// <summary>Whether everything between a header and its footer is armour: a footer after prose belongs to another block.</summary>
    private static bool IsArmour(ReadOnlySpan<char> body)
    {
        foreach (var line in body.EnumerateLines())
        {
            if (!IsArmourLine(line))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where the armour after a header ends: at the first line that is neither base64, a header line nor blank.</summary>
    private static int ArmourEnd(string text, int bodyStart)
    {
        var position = bodyStart;
        while (position < text.Length)
        {
            var lineEnd = text.IndexOf('\n', position);
            var next = lineEnd < 0 ? text.Length : lineEnd + 1;
            if (!IsArmourLine(text.AsSpan(position, (lineEnd < 0 ? text.Length : lineEnd) - position)))
            {
                break;
            }

            position = next;
        }

        // Not the line break before the prose that follows.
        while (position > bodyStart && text[position - 1] is '\n' or '\r')
        {
            position--;
        }

        return position;
    }

    private static bool IsArmourLine(ReadOnlySpan<char> line)
    {
        line = line.Trim();
        if (line.IsEmpty)
        {
            return true;
        }

        // "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,…", "Version: GnuPG v2", "Comment: …"
        var colon = line.IndexOf(':');
        if (colon > 0 && colon < 32 && !line[..colon].ContainsAny(' ', '\t'))
        {
            return true;
        }

        foreach (var c in line)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '/' or '=' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
