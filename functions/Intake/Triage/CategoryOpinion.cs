namespace Intake.Triage;

/// <summary>
/// The statistical reading of a message's category beside the rules: multinomial logistic regression (softmax) over
/// the same hashed n-grams as the <see cref="SecondOpinion"/>, one output per <see cref="TicketCategory"/>. On blind
/// sets its first reading of the category was right more often than the rules' (docs/triage.md), because it has heard
/// every wording in the labelled sets; the rules know secrets, policies and the combinations that make an incident.
/// The engine lets it decide only where the rules' own evidence is weak, never on an urgent message and never to
/// security (see <c>categoryOpinionAt</c> in categories.json). Trained by <c>triage train</c> in a fixed order, like the
/// second opinion.
/// </summary>
public sealed class CategoryOpinion
{
    public const int Buckets = 1 << 17;
    private static readonly string[] Outputs = [.. Enum.GetValues<TicketCategory>().Select(c => c.ToName())];

    private readonly NGramModel _model;

    private CategoryOpinion(NGramModel model) => _model = model;

    /// <summary>The category <paramref name="folded"/> (redacted, folded by the engine) most likely has, and its probability.</summary>
    public (TicketCategory Category, double Probability) Likeliest(ReadOnlySpan<char> folded)
    {
        Span<double> scores = stackalloc double[Outputs.Length];
        _model.Score(folded, scores);
        Softmax(scores);
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return ((TicketCategory)best, scores[best]);
    }

    /// <summary>The n-grams of <paramref name="folded"/> that pushed most towards <paramref name="category"/>, strongest first.</summary>
    public IReadOnlyList<string> Strongest(ReadOnlySpan<char> folded, TicketCategory category, int count) => _model.Strongest(folded, (int)category, count);

    /// <summary>
    /// Trains on <paramref name="examples"/> (each text already redacted and folded by the engine): stochastic gradient
    /// descent on the cross-entropy of the softmax with L2, in a fixed order — the same examples give the same model.
    /// </summary>
    public static CategoryOpinion Train(IReadOnlyList<(string Folded, TicketCategory Category)> examples, int epochs = 30)
    {
        ArgumentNullException.ThrowIfNull(examples);
        const double rate = 1.0, l2 = 1e-5;
        if (examples.Select(e => e.Category).Distinct().Count() < 2)
        {
            throw new ArgumentException("Training needs messages of at least two categories.", nameof(examples));
        }

        var outputs = Outputs.Length;
        var features = examples.Select(e => NGrams.Features(e.Folded, Buckets)).ToArray();
        var weights = new double[Buckets * outputs];
        var biases = new double[outputs];
        var scores = new double[outputs];
        foreach (var i in NGrams.TrainingOrder(examples.Count, epochs))
        {
            var (buckets, value) = features[i];
            biases.CopyTo(scores, 0);
            foreach (var bucket in buckets)
            {
                var row = weights.AsSpan(bucket * outputs, outputs);
                for (var k = 0; k < outputs; k++)
                {
                    scores[k] += row[k] * value;
                }
            }

            // The gradient of the cross-entropy: each output's probability, less one for the right category.
            Softmax(scores);
            scores[(int)examples[i].Category] -= 1;
            foreach (var bucket in buckets)
            {
                var row = weights.AsSpan(bucket * outputs, outputs);
                for (var k = 0; k < outputs; k++)
                {
                    row[k] -= rate * ((scores[k] * value) + (l2 * row[k]));
                }
            }

            for (var k = 0; k < outputs; k++)
            {
                biases[k] -= rate * scores[k];
            }
        }

        return new CategoryOpinion(new NGramModel(Buckets, Outputs, [.. biases.Select(b => (float)b)], [.. weights.Select(w => (float)w)]));
    }

    public void Save(Stream output) => _model.Save(output);

    /// <exception cref="InvalidDataException">The stream is not a model this version reads.</exception>
    public static CategoryOpinion Load(Stream input) => new(NGramModel.Load(input, Outputs, "category-opinion"));

    private static void Softmax(Span<double> scores)
    {
        var max = double.NegativeInfinity;
        foreach (var score in scores)
        {
            max = Math.Max(max, score);
        }

        var sum = 0.0;
        foreach (ref var score in scores)
        {
            score = Math.Exp(score - max);
            sum += score;
        }

        foreach (ref var score in scores)
        {
            score /= sum;
        }
    }
}
