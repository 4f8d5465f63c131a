namespace Intake.Triage;

/// <summary>
/// The statistical second opinion beside the rules: is this message a security incident? Logistic regression over the
/// hashed character n-grams of the redacted, folded text (<see cref="NGrams"/>), <see cref="Buckets"/> weights. It
/// knows no language, which is how it hears an incident told in words no lexicon holds. Trained by
/// <c>triage train</c> on every labelled set in the repository (<see cref="Train"/>, deterministic), it may only raise a
/// message to urgent security (the engine decides when); <see cref="Strongest"/> names the n-grams that pushed it.
/// </summary>
public sealed class SecondOpinion
{
    public const int Buckets = 1 << 18;
    private static readonly string[] Outputs = ["security"];

    private readonly NGramModel _model;

    private SecondOpinion(NGramModel model) => _model = model;

    /// <summary>The probability that <paramref name="folded"/> (redacted, folded by the engine) tells a security incident.</summary>
    public double Probability(ReadOnlySpan<char> folded)
    {
        Span<double> score = stackalloc double[1];
        _model.Score(folded, score);
        return Sigmoid(score[0]);
    }

    /// <summary>The n-grams of <paramref name="folded"/> that pushed most towards an incident, strongest first.</summary>
    public IReadOnlyList<string> Strongest(ReadOnlySpan<char> folded, int count) => _model.Strongest(folded, 0, count);

    /// <summary>
    /// Trains on <paramref name="examples"/> (each text already redacted and folded by the engine): plain stochastic
    /// gradient descent on the logistic loss with L2, both classes weighted alike, in a fixed order — the same
    /// examples give the same model.
    /// </summary>
    public static SecondOpinion Train(IReadOnlyList<(string Folded, bool Incident)> examples, int epochs = 15)
    {
        ArgumentNullException.ThrowIfNull(examples);
        const double rate = 0.5, l2 = 1e-5;
        var features = examples.Select(e => NGrams.Features(e.Folded, Buckets)).ToArray();
        var incidents = examples.Count(e => e.Incident);
        if (incidents == 0 || incidents == examples.Count)
        {
            throw new ArgumentException("Training needs incidents and other messages both.", nameof(examples));
        }

        var classWeight = (Incident: examples.Count / (2.0 * incidents), Other: examples.Count / (2.0 * (examples.Count - incidents)));
        var weights = new double[Buckets];
        var bias = 0.0;
        foreach (var i in NGrams.TrainingOrder(examples.Count, epochs))
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

        return new SecondOpinion(new NGramModel(Buckets, Outputs, [(float)bias], [.. weights.Select(w => (float)w)]));
    }

    public void Save(Stream output) => _model.Save(output);

    /// <exception cref="InvalidDataException">The stream is not a model this version reads.</exception>
    public static SecondOpinion Load(Stream input) => new(NGramModel.Load(input, Outputs, "second-opinion"));

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-Math.Clamp(z, -30, 30)));
}
