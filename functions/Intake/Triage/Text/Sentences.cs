namespace Intake.Triage.Text;

/// <summary>
/// Where the sentences of a folded text start. A sentence ends at <c>. ! ? … ;</c> followed by a space or the end (so
/// "0.8 BTC" and "site.com" stay whole), at <c>。！？；</c>, and at a line break; a run of marks ("!!!") ends one sentence.
/// </summary>
internal static class Sentences
{
    /// <summary>Fills <paramref name="starts"/> with the start of every sentence after the first, in order.</summary>
    public static void Split(ReadOnlySpan<char> text, List<int> starts)
    {
        var ended = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (EndsAlways(c) || (EndsBeforeSpace(c) && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]) || EndsAlways(text[i + 1]))))
            {
                ended = true;
                continue;
            }

            if (ended && !char.IsWhiteSpace(c) && !EndsBeforeSpace(c) && c is not ('"' or '\'' or ')' or '»' or '”' or '」' or '』' or '）'))
            {
                starts.Add(i);
                ended = false;
            }
        }
    }

    /// <summary>The sentence a position falls in: 0 for the first.</summary>
    public static int IndexOf(List<int> starts, int position)
    {
        var low = 0;
        var high = starts.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (starts[mid] <= position)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static bool EndsAlways(char c) => c is '\n' or '\r' or '。' or '！' or '？' or '；' or '\u2029' or '\u2028';

    private static bool EndsBeforeSpace(char c) => c is '.' or '!' or '?' or '…' or ';';
}
