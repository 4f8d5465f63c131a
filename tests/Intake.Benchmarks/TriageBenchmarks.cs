using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Intake.Triage;

namespace Intake.Benchmarks;

/// <summary>
/// Single-threaded triage cost. <see cref="CorpusMix"/> reports time and allocation per message, not per corpus pass;
/// <see cref="CorpusMixRulesAlone"/> the same without the two trained models (the second opinion and the category
/// opinion), whose cost is the difference.
/// </summary>
[MemoryDiagnoser]
public class TriageBenchmarks
{
    /// <summary>Lines in Data/triage-dev.jsonl: OperationsPerInvoke needs a constant, so setup checks the file agrees.</summary>
    private const int CorpusSize = 88;

    /// <summary>The simplified-Chinese message that pastes a BIP-39 mnemonic.</summary>
    private const string ChineseMnemonicId = "d060";

    private const string TxHash = "0xf20fc2450c78d2ddc190fb3c32d4e4b97a961dbba352cc6867845effe295a6e1";

    private const int LongEmailLength = 8 * 1024;

    private static readonly string[] EmailParagraphs =
    [
        "I am writing again about the withdrawal I made last week, because I still have not received the funds and "
            + "the status in the app has not changed since Tuesday. I have attached screenshots of the history page.",
        "When I first contacted you, the agent told me that the network was congested and that I should wait up to "
            + "24 hours. I waited three days, checked the explorer several times, and cleared the app cache as asked.",
        "I have been a customer for more than two years and never had a problem like this. I verified my identity, "
            + "enabled two-factor authentication and whitelisted the address, so I do not understand the delay.",
        "Could you please check with the team that handles withdrawals and tell me when I can expect the coins? "
            + "If you need any further documents from me, let me know and I will send them the same day.",
    ];

    private readonly Consumer _consumer = new();
    private TriageEngine _engine = null!;
    private TriageEngine _rulesAlone = null!;
    private string[] _corpus = [];
    private string _shortEnglish = "";
    private string _chineseWithMnemonic = "";
    private string _longEmail = "";

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "triage-dev.jsonl");
        var lines = File.ReadAllLines(path);
        if (lines.Length != CorpusSize)
        {
            throw new InvalidOperationException(
                $"{path} has {lines.Length} lines but CorpusMix divides by {CorpusSize}: update {nameof(CorpusSize)}.");
        }

        _corpus = new string[CorpusSize];
        for (var i = 0; i < lines.Length; i++)
        {
            using var message = JsonDocument.Parse(lines[i]);
            var root = message.RootElement;
            _corpus[i] = root.GetProperty("text").GetString()
                ?? throw new InvalidDataException($"{path}:{i + 1} has no \"text\".");
            if (root.GetProperty("id").GetString() == ChineseMnemonicId)
            {
                _chineseWithMnemonic = _corpus[i];
            }
        }

        _shortEnglish = "Hi, my USDT withdrawal has been pending for 2 hours, can you check it please?";
        _longEmail = BuildLongEmail();

        _engine = TriageEngine.Default;
        var rules = TriageRules.LoadEmbedded();
        (rules.Categories.SecondOpinionAt, rules.Categories.CategoryOpinionAt) = (null, null);
        _rulesAlone = new TriageEngine(rules);
        foreach (var text in _corpus)
        {
            _engine.Triage(text);
            _rulesAlone.Triage(text);
        }

        // Each case must exercise the path its name promises.
        if (!_engine.Triage(_chineseWithMnemonic).Secrets.Contains(SecretKind.Mnemonic))
        {
            throw new InvalidOperationException($"{ChineseMnemonicId} is missing or no longer finds a mnemonic.");
        }

        if (!_engine.Triage(_longEmail).Entities.TxHashes.Contains(TxHash))
        {
            throw new InvalidOperationException("The long email no longer yields its tx hash.");
        }
    }

    [Benchmark(OperationsPerInvoke = CorpusSize)]
    public TriageResult CorpusMix() => TriageCorpus(_engine);

    [Benchmark(OperationsPerInvoke = CorpusSize)]
    public TriageResult CorpusMixRulesAlone() => TriageCorpus(_rulesAlone);

    [Benchmark]
    public TriageResult ShortEnglish() => _engine.Triage(_shortEnglish);

    [Benchmark]
    public TriageResult ChineseWithMnemonic() => _engine.Triage(_chineseWithMnemonic);

    [Benchmark]
    public TriageResult LongEmail() => _engine.Triage(_longEmail);

    /// <summary>About 8 KB of ordinary support prose, as a long email reply chain would be, with one tx hash.</summary>
    private static string BuildLongEmail()
    {
        const string signOff = "\n\nThank you for your help.\nBest regards,\nDaniel";
        var email = new StringBuilder("Hello support team,\n\n")
            .Append("My withdrawal of 0.25 ETH has not arrived. The tx hash is ").Append(TxHash).Append(".\n\n");
        for (var i = 0; email.Length + EmailParagraphs[i % EmailParagraphs.Length].Length + signOff.Length < LongEmailLength; i++)
        {
            email.Append(EmailParagraphs[i % EmailParagraphs.Length]).Append("\n\n");
        }

        return email.Append(signOff).ToString();
    }

    private TriageResult TriageCorpus(TriageEngine engine)
    {
        TriageResult? result = null;
        foreach (var text in _corpus)
        {
            result = engine.Triage(text);
            _consumer.Consume(result);
        }

        return result!;
    }
}
