namespace Intake.Triage;

/// <summary>
/// Which Han characters are written only in simplified or only in traditional Chinese: the characters that differ
/// between the two BIP-39 Chinese lists, plus the curated pairs of <c>chinese-variants.json</c> (everyday support
/// words such as 帳/帐, 號/号, 碼/码 that the word lists do not contain).
/// </summary>
internal sealed class ChineseScript
{
    private const byte SimplifiedOnly = 1;
    private const byte TraditionalOnly = 2;

    private readonly byte[] _form = new byte[char.MaxValue + 1];

    public ChineseScript(Bip39Wordlists lists, IEnumerable<KeyValuePair<char, char>> traditionalToSimplified)
    {
        var simplified = new HashSet<char>();
        var traditional = new HashSet<char>();
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (lists.IsSimplifiedOnly((char)c))
            {
                simplified.Add((char)c);
            }
            else if (lists.IsTraditionalOnly((char)c))
            {
                traditional.Add((char)c);
            }
        }

        foreach (var (trad, simp) in traditionalToSimplified)
        {
            if (trad != simp)
            {
                traditional.Add(trad);
                simplified.Add(simp);
            }
        }

        // A character that is the simplified form of one pair and the traditional form of another tells nothing.
        foreach (var c in simplified)
        {
            if (!traditional.Contains(c))
            {
                _form[c] = SimplifiedOnly;
            }
        }

        foreach (var c in traditional)
        {
            if (!simplified.Contains(c))
            {
                _form[c] = TraditionalOnly;
            }
        }
    }

    public bool IsSimplifiedOnly(char c) => _form[c] == SimplifiedOnly;

    public bool IsTraditionalOnly(char c) => _form[c] == TraditionalOnly;
}
