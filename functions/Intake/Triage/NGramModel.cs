using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Intake.Triage;

/// <summary>
/// A linear model over the hashed n-grams of a message (<see cref="NGrams"/>): for each of its outputs a bias and one
/// weight per bucket, the features binary and scaled by one over the square root of their number. The trained models
/// beside the rules are two of these: <see cref="SecondOpinion"/> (one output, read through the logistic function) and
/// <see cref="CategoryOpinion"/> (one output per category, read through softmax). Its numbers are held to half
/// precision, as they are saved (a sum of a few hundred of them moves by far less than any threshold reads): deflated,
/// "ITNG", a version, the buckets, the outputs' names, the biases, then the weights bucket by bucket.
/// </summary>
internal sealed class NGramModel
{
    private static ReadOnlySpan<byte> Magic => "ITNG"u8;
    private const int Version = 2;

    private readonly float[] _weights; // bucket-major: _weights[bucket * Outputs.Count + output]
    private readonly float[] _biases;

    public NGramModel(int buckets, IReadOnlyList<string> outputs, float[] biases, float[] weights)
    {
        if (!NGrams.IsBucketCount(buckets) || outputs.Count == 0 || biases.Length != outputs.Count || weights.Length != buckets * outputs.Count)
        {
            throw new ArgumentException("A model has a power of two buckets, at least one output, a bias per output and a weight per bucket and output.");
        }

        Buckets = buckets;
        Outputs = outputs;
        _biases = [.. biases.Select(HalfPrecision)];
        _weights = [.. weights.Select(HalfPrecision)];
    }

    public int Buckets { get; }

    /// <summary>What each output means, as the file names it.</summary>
    public IReadOnlyList<string> Outputs { get; }

    public float Weight(int bucket, int output) => _weights[(bucket * Outputs.Count) + output];

    /// <summary>Writes into <paramref name="scores"/> each output's bias plus its weights of the n-grams of <paramref name="folded"/>; allocates nothing.</summary>
    public void Score(ReadOnlySpan<char> folded, Span<double> scores)
    {
        scores.Clear();
        var sink = new Sum(_weights, Outputs.Count, scores);
        var count = NGrams.ForEachDistinct(folded, Buckets, ref sink);
        var scale = count == 0 ? 0 : 1 / Math.Sqrt(count);
        for (var output = 0; output < scores.Length; output++)
        {
            scores[output] = _biases[output] + (scores[output] * scale);
        }
    }

    /// <summary>The n-grams of <paramref name="folded"/> that pushed <paramref name="output"/> most, strongest first.</summary>
    public IReadOnlyList<string> Strongest(ReadOnlySpan<char> folded, int output, int count) =>
        NGrams.Strongest(folded, Buckets, bucket => Weight(bucket, output), count);

    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var deflate = new DeflateStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(deflate, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(Buckets);
        writer.Write(Outputs.Count);
        foreach (var output in Outputs)
        {
            writer.Write(output);
        }

        const int size = 2; // bytes of a Half
        var bytes = new byte[(_biases.Length + _weights.Length) * size];
        for (var i = 0; i < _biases.Length + _weights.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * size), (Half)(i < _biases.Length ? _biases[i] : _weights[i - _biases.Length]));
        }

        writer.Write(bytes);
    }

    /// <param name="expected">The outputs the caller reads, in its order.</param>
    /// <exception cref="InvalidDataException">The stream is not a model of this shape.</exception>
    public static NGramModel Load(Stream stream, IReadOnlyList<string> expected, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var deflate = new DeflateStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(deflate, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != Version)
            {
                throw new InvalidDataException($"The {name} model is not of this version's shape; run 'triage train' again.");
            }

            var buckets = reader.ReadInt32();
            var outputs = reader.ReadInt32();
            if (!NGrams.IsBucketCount(buckets) || outputs != expected.Count)
            {
                throw new InvalidDataException($"The {name} model is not of this version's shape; run 'triage train' again.");
            }

            for (var output = 0; output < outputs; output++)
            {
                if (reader.ReadString() != expected[output])
                {
                    throw new InvalidDataException($"The {name} model's outputs are not {string.Join(", ", expected)}; run 'triage train' again.");
                }
            }

            var biases = new float[outputs];
            var weights = new float[buckets * outputs];
            const int size = 2; // bytes of a Half
            var bytes = new byte[(outputs + weights.Length) * size];
            deflate.ReadExactly(bytes);
            for (var i = 0; i < outputs + weights.Length; i++)
            {
                var value = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * size));
                if (!float.IsFinite(value))
                {
                    throw new InvalidDataException($"The {name} model holds a weight that is not a number.");
                }

                (i < outputs ? ref biases[i] : ref weights[i - outputs]) = value;
            }

            if (deflate.ReadByte() != -1)
            {
                throw new InvalidDataException($"The {name} model is longer than its shape; run 'triage train' again.");
            }

            return new NGramModel(buckets, expected, biases, weights);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"The {name} model is cut short; run 'triage train' again.", ex);
        }
    }

    private static float HalfPrecision(float value) => (float)(Half)value;

    private readonly ref struct Sum(float[] weights, int outputs, Span<double> scores) : NGrams.IBucketSink
    {
        private readonly Span<double> _scores = scores;

        public void Add(int bucket)
        {
            var row = weights.AsSpan(bucket * outputs, outputs);
            for (var output = 0; output < row.Length; output++)
            {
                _scores[output] += row[output];
            }
        }
    }
}
