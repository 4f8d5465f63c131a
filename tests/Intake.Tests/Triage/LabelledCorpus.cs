using System.Text.Json;
using System.Text.Json.Serialization;
using Intake.Triage;

namespace Intake.Tests.Triage;

/// <summary>A labelled message of a triage corpus (format of <c>Data/triage-dev.jsonl</c>).</summary>
public sealed record LabelledMessage(string Id, string Channel, string Text, Expectation Expect);

public sealed record Expectation(
    string Language,
    string Category,
    string Urgency,
    IReadOnlyList<string> Secrets,
    IReadOnlyList<string> SecretValues,
    IReadOnlyList<string> TxHashes,
    IReadOnlyList<string> Addresses);

/// <summary>
/// Runs a labelled corpus through the engine and scores it. Misses are described by id, field and the redacted
/// text only: a secret value never reaches test output.
/// </summary>
public sealed class CorpusScore
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private CorpusScore(IReadOnlyList<LabelledMessage> messages) => Messages = messages;

    public IReadOnlyList<LabelledMessage> Messages { get; }

    public int UrgentExpected { get; private set; }

    public int UrgentFound { get; private set; }

    public int UrgencyRight { get; private set; }

    public int CategoryRight { get; private set; }

    public int LanguageRight { get; private set; }

    /// <summary>Hard failures: a leaked or unreported secret, a false secret, an entity redacted or missed.</summary>
    public List<string> SafetyMisses { get; } = [];

    public List<string> LabelMisses { get; } = [];

    public static IReadOnlyList<LabelledMessage> Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", file);
        return [.. File.ReadLines(path)
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => JsonSerializer.Deserialize<LabelledMessage>(line, Options)!)];
    }

    public static CorpusScore Run(string file, TriageEngine engine)
    {
        var score = new CorpusScore(Load(file));
        foreach (var message in score.Messages)
        {
            score.Check(message, engine.Triage(message.Text));
        }

        return score;
    }

    public double UrgencyShare => (double)UrgencyRight / Messages.Count;

    public double CategoryShare => (double)CategoryRight / Messages.Count;

    public double LanguageShare => (double)LanguageRight / Messages.Count;

    public string Report() =>
        $"urgent recall {UrgentFound}/{UrgentExpected}, urgency {UrgencyRight}/{Messages.Count}, category {CategoryRight}/{Messages.Count}, " +
        $"language {LanguageRight}/{Messages.Count}\n" + string.Join('\n', SafetyMisses.Concat(LabelMisses));

    /// <summary>What a miss may print of the text: a secret the engine failed to redact is masked here.</summary>
    public static string Scrub(string text, IEnumerable<string> secretValues)
    {
        foreach (var value in secretValues)
        {
            text = text.Replace(value, "[SECRET NOT REDACTED]", StringComparison.Ordinal);
        }

        return text;
    }

    private void Check(LabelledMessage message, TriageResult result)
    {
        var expect = message.Expect;
        var where = $"{message.Id} ({expect.Language}, {expect.Category}/{expect.Urgency})";
        var got = $"got {result.Language}, {result.Category.ToName()}/{result.Urgency.ToName()}; rules [{string.Join(' ', result.Rules)}]; " +
            $"text: {Scrub(result.RedactedText, expect.SecretValues)}";

        if (expect.Urgency == "urgent")
        {
            UrgentExpected++;
            UrgentFound += result.Urgency == Urgency.Urgent ? 1 : 0;
        }

        UrgencyRight += result.Urgency.ToName() == expect.Urgency ? 1 : 0;
        CategoryRight += result.Category.ToName() == expect.Category ? 1 : 0;
        LanguageRight += result.Language == expect.Language ? 1 : 0;
        if (result.Urgency.ToName() != expect.Urgency || result.Category.ToName() != expect.Category || result.Language != expect.Language)
        {
            LabelMisses.Add($"{where}: {got}");
        }

        for (var i = 0; i < expect.SecretValues.Count; i++)
        {
            if (result.RedactedText.Contains(expect.SecretValues[i], StringComparison.Ordinal))
            {
                SafetyMisses.Add($"{where}: secret value #{i + 1} is still in the redacted text");
            }
        }

        var kinds = result.Secrets.Select(k => k.ToName()).ToHashSet();
        foreach (var kind in expect.Secrets.Where(k => !kinds.Contains(k)))
        {
            SafetyMisses.Add($"{where}: secret kind '{kind}' not reported; {got}");
        }

        foreach (var kind in kinds.Where(k => !expect.Secrets.Contains(k)))
        {
            SafetyMisses.Add($"{where}: reported a '{kind}' the message does not contain; {got}");
        }

        foreach (var hash in expect.TxHashes)
        {
            if (!result.RedactedText.Contains(hash, StringComparison.Ordinal))
            {
                SafetyMisses.Add($"{where}: tx hash {hash} was redacted");
            }

            if (!result.Entities.TxHashes.Contains(hash))
            {
                SafetyMisses.Add($"{where}: tx hash {hash} not extracted");
            }
        }

        foreach (var address in expect.Addresses)
        {
            if (!result.RedactedText.Contains(address, StringComparison.Ordinal))
            {
                SafetyMisses.Add($"{where}: address {address} was redacted");
            }

            if (!result.Entities.Addresses.Contains(address))
            {
                SafetyMisses.Add($"{where}: address {address} not extracted");
            }
        }
    }
}
