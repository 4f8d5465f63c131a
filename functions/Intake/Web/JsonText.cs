using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Intake.Web;

/// <summary>
/// Strings out of JSON from outside. <see cref="JsonElement.GetString"/> throws on a string that is not text — invalid
/// UTF-8 bytes, or a lone surrogate escape such as <c>\ud800</c> (a client that cut an emoji in half) — and an exception
/// there would answer a customer's message with a 500, which webhook providers retry until they give up. Here such a
/// string is read with U+FFFD in place of what cannot be read, as every other text of ours is.
/// </summary>
internal static class JsonText
{
    /// <summary>The element's string (the caller has checked it is one), with U+FFFD for whatever is not text.</summary>
    public static string Get(JsonElement element)
    {
        try
        {
            return element.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return Lenient(JsonMarshal.GetRawUtf8Value(element));
        }
    }

    /// <summary>Decodes a raw JSON string token (quotes included): invalid UTF-8 and unpaired surrogates become U+FFFD.</summary>
    internal static string Lenient(ReadOnlySpan<byte> raw)
    {
        var quoted = Encoding.UTF8.GetString(raw);
        var inner = quoted.Length >= 2 && quoted[0] == '"' && quoted[^1] == '"' ? quoted.AsSpan(1, quoted.Length - 2) : quoted.AsSpan();
        var text = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c != '\\' || i + 1 >= inner.Length)
            {
                text.Append(c);
                continue;
            }

            var escaped = inner[++i];
            switch (escaped)
            {
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u' when i + 4 < inner.Length && ushort.TryParse(inner.Slice(i + 1, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code):
                    text.Append((char)code);
                    i += 4;
                    break;
                default: text.Append(escaped); break;
            }
        }

        // Pairs stay; a surrogate without its partner is replaced.
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                text[i] = '\uFFFD';
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// A JSON body with every unpaired surrogate escape (<c>\ud83d</c> alone) replaced by <c>\uFFFD</c>, for readers that
    /// cannot be told to be lenient (a deserializer). The same length, so nothing else moves; the body itself when there
    /// is nothing to repair.
    /// </summary>
    public static ReadOnlySpan<byte> RepairSurrogateEscapes(ReadOnlySpan<byte> json)
    {
        byte[]? repaired = null;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (!inString)
            {
                inString = b == (byte)'"';
                continue;
            }

            if (b == (byte)'"')
            {
                inString = false;
            }
            else if (b == (byte)'\\' && i + 1 < json.Length)
            {
                if (json[i + 1] == (byte)'u' && Surrogate(json, i) is { } unit)
                {
                    if (char.IsHighSurrogate(unit) && Surrogate(json, i + 6) is { } next && char.IsLowSurrogate(next))
                    {
                        i += 11;
                        continue;
                    }

                    repaired ??= json.ToArray();
                    "\\uFFFD"u8.CopyTo(repaired.AsSpan(i));
                    i += 5;
                    continue;
                }

                // Any other escape: skip the escaped character (it may be a quote).
                i++;
            }
        }

        return repaired ?? json;
    }

    /// <summary>The UTF-16 unit of a <c>\uXXXX</c> escape at <paramref name="at"/> when it is a surrogate, else null.</summary>
    private static char? Surrogate(ReadOnlySpan<byte> json, int at)
    {
        if (at + 6 > json.Length || json[at] != (byte)'\\' || json[at + 1] != (byte)'u'
            || !ushort.TryParse(json.Slice(at + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code))
        {
            return null;
        }

        return char.IsSurrogate((char)code) ? (char)code : null;
    }
}
