using System.Text;
using Intake.Triage.Text;

namespace Intake.Triage;

/// <summary>
/// The ten official BIP-39 word lists, indexed for lookup by the folded form of a word (case and accents ignored,
/// as customers type them) and, for the two Chinese lists, by character.
/// </summary>
internal sealed class Bip39Wordlists
{
    public static readonly string[] Names =
        ["english", "chinese_simplified", "chinese_traditional", "japanese", "korean", "spanish", "french", "italian", "czech", "portuguese"];

    public const int ListCount = 10;
    public const int ChineseSimplified = 1;
    public const int ChineseTraditional = 2;
    public const int Ambiguous = -2;
    private const int WordsPerList = 2048;

    /// <summary>The Chinese lists are ordered by frequency; characters this common are rare in a random mnemonic.</summary>
    public const int CommonChineseRank = 128;

    private readonly Dictionary<string, int> _entries;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<ushort> _entryMask = [];
    private readonly List<short> _entryIndex = [];
    private readonly List<bool> _entryCommon = [];
    private readonly short[] _hanSimplified = new short[char.MaxValue + 1];
    private readonly short[] _hanTraditional = new short[char.MaxValue + 1];
    private readonly string[][] _words;

    private Bip39Wordlists(string[][] words)
    {
        _words = words;
        _entries = new Dictionary<string, int>(StringComparer.Ordinal);
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        Array.Fill(_hanSimplified, (short)-1);
        Array.Fill(_hanTraditional, (short)-1);
        for (var i = 0; i < WordsPerList; i++)
        {
            _hanSimplified[words[ChineseSimplified][i][0]] = (short)i;
            _hanTraditional[words[ChineseTraditional][i][0]] = (short)i;
        }
    }

    public int MinWordLength { get; private set; } = int.MaxValue;

    public TextFolder Folder { get; private set; } = null!;

    public int MaxWordLength { get; private set; }

    public IReadOnlyList<string> this[int list] => _words[list];

    public static Bip39Wordlists LoadEmbedded()
    {
        var words = new string[ListCount][];
        for (var list = 0; list < ListCount; list++)
        {
            using var stream = TriageRules.OpenResource("Intake.Triage.Wordlists." + Names[list] + ".txt");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var loaded = reader.ReadToEnd()
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(w => w.Normalize(NormalizationForm.FormC))
                .ToArray();
            if (loaded.Length != WordsPerList)
            {
                throw new InvalidDataException($"BIP-39 list '{Names[list]}' has {loaded.Length} words, not {WordsPerList}.");
            }

            words[list] = loaded;
        }

        return new Bip39Wordlists(words);
    }

    /// <summary>Pairs the two Chinese lists position by position: where they differ, the traditional character and its simplified form.</summary>
    public IEnumerable<KeyValuePair<char, char>> TraditionalToSimplified()
    {
        for (var i = 0; i < WordsPerList; i++)
        {
            var simplified = _words[ChineseSimplified][i][0];
            var traditional = _words[ChineseTraditional][i][0];
            if (simplified != traditional)
            {
                yield return new(traditional, simplified);
            }
        }
    }

    public bool IsSimplifiedOnly(char c) => _hanSimplified[c] >= 0 && _hanTraditional[c] < 0;

    public bool IsTraditionalOnly(char c) => _hanTraditional[c] >= 0 && _hanSimplified[c] < 0;

    /// <summary>Builds the folded index. <paramref name="commonWords"/> are folded everyday words of any language.</summary>
    public void Index(TextFolder folder, IReadOnlySet<string> commonWords)
    {
        Folder = folder;
        for (var list = 0; list < ListCount; list++)
        {
            if (list is ChineseSimplified or ChineseTraditional)
            {
                continue;
            }

            for (var i = 0; i < WordsPerList; i++)
            {
                var key = folder.Fold(_words[list][i]);
                MinWordLength = Math.Min(MinWordLength, key.Length);
                MaxWordLength = Math.Max(MaxWordLength, key.Length);
                if (!_entries.TryGetValue(key, out var entry))
                {
                    entry = _entryMask.Count;
                    _entries.Add(key, entry);
                    _entryMask.Add(0);
                    _entryCommon.Add(commonWords.Contains(key));
                    for (var l = 0; l < ListCount; l++)
                    {
                        _entryIndex.Add(-1);
                    }
                }

                var slot = (entry * ListCount) + list;
                _entryIndex[slot] = (_entryMask[entry] & (1 << list)) != 0 ? (short)Ambiguous : (short)i;
                _entryMask[entry] |= (ushort)(1 << list);
            }
        }
    }

    /// <summary>The entry for a folded word, or -1.</summary>
    public int Find(ReadOnlySpan<char> foldedWord)
    {
        if (foldedWord.Length < MinWordLength || foldedWord.Length > MaxWordLength)
        {
            return -1;
        }

        return _lookup.TryGetValue(foldedWord, out var entry) ? entry : -1;
    }

    public ushort MaskOf(int entry) => _entryMask[entry];

    public bool IsCommon(int entry) => _entryCommon[entry];

    /// <summary>The word's index in a list, -1 when absent, <see cref="Ambiguous"/> when folding merged two words.</summary>
    public int IndexOf(int entry, int list) => _entryIndex[(entry * ListCount) + list];

    public ushort HanMask(char c)
    {
        var mask = 0;
        if (_hanSimplified[c] >= 0)
        {
            mask |= 1 << ChineseSimplified;
        }

        if (_hanTraditional[c] >= 0)
        {
            mask |= 1 << ChineseTraditional;
        }

        return (ushort)mask;
    }

    public int HanIndex(char c, int list) => list == ChineseSimplified ? _hanSimplified[c] : _hanTraditional[c];
}
