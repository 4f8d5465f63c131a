using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Intake.Triage.Text;

namespace Intake.Triage;

/// <summary>
/// The statistical second opinion beside the rules: is this message a security incident? Logistic regression over the
/// character 2-, 3- and 4-grams of the redacted, folded text (letters as they are, every digit as 0, anything else a
/// space), hashed into <see cref="Buckets"/> weights. It knows no language: the n-grams of "пропали", "不是我" and
/// "didn't" are features alike, which is how it hears an incident told in words no lexicon holds. Trained by
/// <c>triage train</c> on every labelled set in the repository (<see cref="Train"/>, deterministic), it may only raise a
/// message to urgent security (the engine decides when); <see cref="Strongest"/> names the n-grams that pushed it.
/// </summary>
public sealed class SecondOpinion
{
    public const int Buckets = 1 << 18;
    private const int MinGram = 2;
    private const int MaxGram = 4;
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;
    private static ReadOnlySpan<byte> Magic => "ITSO"u8;
    private const int Version = 1;

    [ThreadStatic]
    private static ulong[]? t_seen;

    private readonly float[] _weights;
    private readonly float _bias;

    private SecondOpinion(float[] weights, float bias)
    {
        _weights = weights;
        _bias = bias;
    }

    /// <summary>The probability that <paramref name="folded"/> (redacted, folded by the engine) tells a security incident.</summary>
    public double Probability(ReadOnlySpan<char> folded)
    {
        var text = ArrayPool<char>.Shared.Rent(folded.Length + 2);
        var buckets = ArrayPool<int>.Shared.Rent(((folded.Length + 2) * (MaxGram - MinGram + 1)) + 1);
        var seen = t_seen ??= new ulong[Buckets / 64];
        var (sum, count) = (0.0, 0);
        try
        {
            // Each n-gram counts once however often it occurs, as in training.
            foreach (var bucket in new Grams(Normalize(folded, text)))
            {
                ref var word = ref seen[bucket >> 6];
                if ((word & (1UL << bucket)) == 0)
                {
                    word |= 1UL << bucket;
                    buckets[count++] = bucket;
                    sum += _weights[bucket];
                }
            }

            return count == 0 ? Sigmoid(_bias) : Sigmoid(_bias + (sum / Math.Sqrt(count)));
        }
        finally
        {
            foreach (var bucket in buckets.AsSpan(0, count))
            {
                seen[bucket >> 6] = 0;
            }

            ArrayPool<int>.Shared.Return(buckets);
            ArrayPool<char>.Shared.Return(text);
        }
    }

    /// <summary>The n-grams of <paramref name="folded"/> that pushed most towards an incident, strongest first.</summary>
    public IReadOnlyList<string> Strongest(ReadOnlySpan<char> folded, int count)
    {
        var text = Normalize(folded, new char[folded.Length + 2]);
        var seen = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var grams = new Grams(text); grams.MoveNext();)
        {
            if (_weights[grams.Current] > 0)
            {
                seen[text.Slice(grams.Start, grams.Length).ToString()] = _weights[grams.Current];
            }
        }

        // Two Latin letters say little to a reader ("he", "is"); two Chinese characters are a word.
        return [.. seen.OrderByDescending(g => g.Value).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key.Trim())
            .Where(g => g.Length >= 3 || (g.Length == MinGram && g.All(CharClass.IsCjk)))
            .Distinct(StringComparer.Ordinal)
            .Take(count)];
    }

    /// <summary>
    /// Trains on <paramref name="examples"/> (each text already redacted and folded by the engine): plain stochastic
    /// gradient descent on the logistic loss with L2, both classes weighted alike, a fixed seed — the same examples
    /// give the same model.
    /// </summary>
    public static SecondOpinion Train(IReadOnlyList<(string Folded, bool Incident)> examples, int epochs = 15)
    {
        ArgumentNullException.ThrowIfNull(examples);
        const double rate = 0.5, l2 = 1e-5;
        var features = examples.Select(e => Features(e.Folded)).ToArray();
        var incidents = examples.Count(e => e.Incident);
        if (incidents == 0 || incidents == examples.Count)
        {
            throw new ArgumentException("Training needs incidents and other messages both.", nameof(examples));
        }

        var classWeight = (Incident: examples.Count / (2.0 * incidents), Other: examples.Count / (2.0 * (examples.Count - incidents)));
        var weights = new double[Buckets];
        var bias = 0.0;
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(1);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var i in order)
            {
                var (buckets, value) = features[i];
                var z = bias;
                foreach (var bucket in buckets)
                {
                    z += weights[bucket] * value;
                }

                var incident = examples[i].Incident;
                var gradient = (Sigmoid(z) - (incident ? 1 : 0)) * (incident ? classWeight.Incident : classWeight.Other);
                foreach (var bucket in buckets)
                {
                    weights[bucket] -= rate * ((gradient * value) + (l2 * weights[bucket]));
                }

                bias -= rate * gradient;
            }
        }

        return new SecondOpinion([.. weights.Select(w => (float)w)], (float)bias);
    }

    public void Save(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        Span<byte> header = stackalloc byte[16];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Buckets);
        BinaryPrimitives.WriteSingleLittleEndian(header[12..], _bias);
        deflate.Write(header);
        var bytes = new byte[Buckets * sizeof(float)];
        for (var i = 0; i < Buckets; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), _weights[i]);
        }

        deflate.Write(bytes);
    }

    /// <exception cref="InvalidDataException">The stream is not a model this version reads.</exception>
    public static SecondOpinion Load(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var deflate = new DeflateStream(input, CompressionMode.Decompress, leaveOpen: true);
        var bytes = new byte[16 + (Buckets * sizeof(float))];
        try
        {
            deflate.ReadExactly(bytes);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The second-opinion model is cut short; run 'triage train' again.", ex);
        }

        if (!bytes.AsSpan(0, 4).SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != Version
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)) != Buckets || deflate.ReadByte() != -1)
        {
            throw new InvalidDataException("The second-opinion model is not of this version's shape; run 'triage train' again.");
        }

        var weights = new float[Buckets];
        for (var i = 0; i < Buckets; i++)
        {
            weights[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(16 + (i * sizeof(float))));
            if (!float.IsFinite(weights[i]))
            {
                throw new InvalidDataException("The second-opinion model holds a weight that is not a number.");
            }
        }

        return new SecondOpinion(weights, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(12)));
    }

    private static (int[] Buckets, double Value) Features(string folded)
    {
        var text = Normalize(folded, new char[folded.Length + 2]);
        var buckets = new HashSet<int>(text.Length * (MaxGram - MinGram + 1));
        foreach (var bucket in new Grams(text))
        {
            buckets.Add(bucket);
        }

        return ([.. buckets.Order()], buckets.Count == 0 ? 0 : 1 / Math.Sqrt(buckets.Count));
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

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-Math.Clamp(z, -30, 30)));

    /// <summary>The bucket of every 2-, 3- and 4-gram, by start then length; FNV-1a over the characters.</summary>
    private ref struct Grams(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
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
                    Current = (int)(_hash & (Buckets - 1));
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
