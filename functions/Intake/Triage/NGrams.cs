using System.Buffers;
using Intake.Triage.Text;

namespace Intake.Triage;

/// <summary>
/// What the trained models read of a message: the character 2-, 3- and 4-grams of the redacted, folded text (letters as
/// they are, every digit as 0, anything else a space), each hashed (FNV-1a) into one of a power of two buckets and
/// counted once however often it occurs. It knows no language: the n-grams of "пропали", "不是我" and "didn't" are
/// features alike.
/// </summary>
internal static class NGrams
{
    public const int MinGram = 2;
    public const int MaxGram = 4;
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;
    private const int MostBuckets = 1 << 20;

    [ThreadStatic]
    private static ulong[]? t_seen;

    /// <summary>The buckets of a model: a power of two, at most 2^20.</summary>
    public static bool IsBucketCount(int buckets) => buckets is > 0 and <= MostBuckets && (buckets & (buckets - 1)) == 0;

    /// <summary>
    /// Hands <paramref name="sink"/> each distinct bucket of <paramref name="folded"/> once and returns how many there
    /// were; allocates nothing (pooled buffers, a per-thread bitmap left clear).
    /// </summary>
    public static int ForEachDistinct<TSink>(ReadOnlySpan<char> folded, int buckets, ref TSink sink)
        where TSink : struct, IBucketSink, allows ref struct
    {
        var text = ArrayPool<char>.Shared.Rent(folded.Length + 2);
        var found = ArrayPool<int>.Shared.Rent(((folded.Length + 2) * (MaxGram - MinGram + 1)) + 1);
        // One bit a bucket, as many as the largest model read on this thread needs (2^18 buckets: 32 KB).
        var seen = t_seen is { } kept && kept.Length >= buckets / 64 ? kept : t_seen = new ulong[Math.Max(1, buckets / 64)];
        var count = 0;
        try
        {
            foreach (var bucket in new Grams(Normalize(folded, text), buckets))
            {
                ref var word = ref seen[bucket >> 6];
                if ((word & (1UL << bucket)) == 0)
                {
                    word |= 1UL << bucket;
                    found[count++] = bucket;
                    sink.Add(bucket);
                }
            }

            return count;
        }
        finally
        {
            foreach (var bucket in found.AsSpan(0, count))
            {
                seen[bucket >> 6] = 0;
            }

            ArrayPool<int>.Shared.Return(found);
            ArrayPool<char>.Shared.Return(text);
        }
    }

    /// <summary>For training: the distinct buckets of <paramref name="folded"/> in order, and the value each feature has (one over the square root of their number).</summary>
    public static (int[] Buckets, double Value) Features(string folded, int buckets)
    {
        var text = Normalize(folded, new char[folded.Length + 2]);
        var distinct = new HashSet<int>(text.Length * (MaxGram - MinGram + 1));
        foreach (var bucket in new Grams(text, buckets))
        {
            distinct.Add(bucket);
        }

        return ([.. distinct.Order()], distinct.Count == 0 ? 0 : 1 / Math.Sqrt(distinct.Count));
    }

    /// <summary>For training: the examples' indexes, shuffled anew for each of <paramref name="epochs"/> passes from a fixed seed, so that the same examples give the same model.</summary>
    public static IEnumerable<int> TrainingOrder(int count, int epochs)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var random = new Random(1);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var i in order)
            {
                yield return i;
            }
        }
    }

    /// <summary>The n-grams of <paramref name="folded"/> whose <paramref name="weight"/> is highest (above zero), strongest first, as a reader would name them.</summary>
    public static IReadOnlyList<string> Strongest(ReadOnlySpan<char> folded, int buckets, Func<int, float> weight, int count)
    {
        var text = Normalize(folded, new char[folded.Length + 2]);
        var seen = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var grams = new Grams(text, buckets); grams.MoveNext();)
        {
            var value = weight(grams.Current);
            if (value > 0)
            {
                seen[text.Slice(grams.Start, grams.Length).ToString()] = value;
            }
        }

        // Two Latin letters say little to a reader ("he", "is"); two Chinese characters are a word.
        return [.. seen.OrderByDescending(g => g.Value).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key.Trim())
            .Where(g => g.Length >= 3 || (g.Length == MinGram && g.All(CharClass.IsCjk)))
            .Distinct(StringComparer.Ordinal)
            .Take(count)];
    }

    /// <summary>Letters as they are, digits as 0, runs of anything else one space, a space at each end.</summary>
    private static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> folded, Span<char> buffer)
    {
        var length = 0;
        buffer[length++] = ' ';
        foreach (var c in folded)
        {
            var mapped = char.IsLetter(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark
                ? c
                : char.IsDigit(c) ? '0' : ' ';
            if (mapped != ' ' || buffer[length - 1] != ' ')
            {
                buffer[length++] = mapped;
            }
        }

        if (buffer[length - 1] != ' ')
        {
            buffer[length++] = ' ';
        }

        return buffer[..length];
    }

    /// <summary>What a model does with each distinct bucket of a message.</summary>
    public interface IBucketSink
    {
        void Add(int bucket);
    }

    /// <summary>The bucket of every 2-, 3- and 4-gram, by start then length.</summary>
    private ref struct Grams(ReadOnlySpan<char> text, int buckets)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private readonly int _mask = buckets - 1;
        private int _start;
        private int _length = MinGram - 1;
        private uint _hash = (FnvOffset ^ (text.IsEmpty ? 0u : text[0])) * FnvPrime;

        public readonly Grams GetEnumerator() => this;

        public int Current { get; private set; }

        /// <summary>Where the current n-gram starts in the text.</summary>
        public readonly int Start => _start;

        /// <summary>How many characters the current n-gram has.</summary>
        public readonly int Length => _length;

        public bool MoveNext()
        {
            while (_start < _text.Length)
            {
                _length++;
                if (_length <= MaxGram && _start + _length <= _text.Length)
                {
                    _hash = (_hash ^ _text[_start + _length - 1]) * FnvPrime;
                    Current = (int)(_hash & (uint)_mask);
                    return true;
                }

                _start++;
                _length = 1;
                _hash = _start < _text.Length ? (FnvOffset ^ _text[_start]) * FnvPrime : 0;
            }

            return false;
        }
    }
}
