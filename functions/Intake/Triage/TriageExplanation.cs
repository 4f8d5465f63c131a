namespace Intake.Triage;

/// <summary>Why triage decided as it did (<see cref="TriageEngine.Explain"/>); nothing in it holds a secret.</summary>
/// <param name="Rules">Rules, combinations and secret rules in the order they fired; a combination withheld by an "unless" concept too.</param>
/// <param name="Concepts">Every concept found, with the words that matched and the sentence (0-based) they stand in.</param>
/// <param name="Scores">Each category's score, where not zero.</param>
/// <param name="Policies">The policies applied after scoring, in order.</param>
/// <param name="SecondOpinion">What the trained model said, when the engine has one.</param>
public sealed record TriageExplanation(
    TriageResult Result,
    IReadOnlyList<TriageRuleHit> Rules,
    IReadOnlyList<TriageConceptHit> Concepts,
    IReadOnlyDictionary<string, int> Scores,
    IReadOnlyList<string> Policies,
    TriageSecondOpinion? SecondOpinion)
{
    /// <summary>What the category opinion read, when the engine has one.</summary>
    public TriageCategoryOpinion? CategoryOpinion { get; init; }
}

/// <param name="Matched">The words of the message it matched; a secret shows as <c>[redacted]</c>.</param>
/// <param name="WithheldBy">For a combination met but not fired: the concept found elsewhere in the message that withheld it.</param>
public sealed record TriageRuleHit(string Rule, string? Category, int Weight, string? Signal, IReadOnlyList<string> Matched, string? WithheldBy);

public sealed record TriageConceptHit(string Concept, string Matched, int Sentence);

/// <summary>The second opinion on one message (<see cref="Intake.Triage.SecondOpinion"/>).</summary>
/// <param name="Probability">How likely the model found it that the message tells a security incident.</param>
/// <param name="RaiseAt">The probability at which it raises a message the rules rated below urgent.</param>
/// <param name="Raised">Whether it raised this one.</param>
/// <param name="Strongest">The n-grams of the redacted text that pushed most towards an incident.</param>
/// <param name="WithheldBy">The policy that kept it from raising this message, if one did.</param>
public sealed record TriageSecondOpinion(double Probability, double RaiseAt, bool Raised, IReadOnlyList<string> Strongest, string? WithheldBy = null);

/// <summary>The category opinion on one message (<see cref="Intake.Triage.CategoryOpinion"/>).</summary>
/// <param name="Category">The category it found likeliest.</param>
/// <param name="Probability">How likely it found that category.</param>
/// <param name="At">The probability from which its reading may replace the rules'.</param>
/// <param name="Applied">Whether its reading replaced the rules' category on this message.</param>
/// <param name="Strongest">The n-grams of the redacted text that pushed most towards its category.</param>
/// <param name="WithheldBy">The policy that kept it from deciding this message, if one did.</param>
public sealed record TriageCategoryOpinion(TicketCategory Category, double Probability, double At, bool Applied, IReadOnlyList<string> Strongest, string? WithheldBy = null);
