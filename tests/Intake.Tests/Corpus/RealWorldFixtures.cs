using System.Text.Json.Nodes;

namespace Intake.Tests.Corpus;

/// <summary>
/// The real-world corpus under <c>Data/RealWorld</c>: one folder per channel (<c>email</c>, <c>telegram</c>,
/// <c>messenger</c>, <c>instagram</c>, <c>whatsapp</c>, <c>x</c>), each file a message as its provider delivers it
/// (a whole mail as <c>.eml</c>, a webhook body as <c>.json</c>), copied from public test suites and documented samples
/// named in the folder's <c>SOURCES.md</c>. A folder's <c>expected.tsv</c> says which files are not a customer's message
/// (a bounce, a read receipt) and why; every other file must become a stored message.
/// </summary>
public static class RealWorldFixtures
{
    public static readonly string[] Channels = ["email", "telegram", "messenger", "instagram", "whatsapp", "x"];

    public static string Root => Path.Combine(AppContext.BaseDirectory, "Data", "RealWorld");

    /// <summary>What a fixture must do: be stored as a message, or be answered and left out with this reason logged.</summary>
    public sealed record Expectation(string Outcome, string? Reason, string Why)
    {
        public const string Message = "message";

        /// <summary>A message whose source is itself damaged (bytes invalid in the charset it declares): stored, replacement characters allowed.</summary>
        public const string LossyMessage = "message-lossy";

        public const string Ignored = "ignored";

        public bool IsMessage => Outcome is Message or LossyMessage;

        public static Expectation Parse(string outcome, string why) =>
            outcome switch
            {
                Message or LossyMessage => new(outcome, null, why),
                _ when outcome.StartsWith(Ignored + ":", StringComparison.Ordinal) && outcome.Length > Ignored.Length + 1 =>
                    new(Ignored, outcome[(Ignored.Length + 1)..], why),
                _ => throw new InvalidDataException($"Unknown outcome '{outcome}': use message, message-lossy or ignored:<text of the logged reason>."),
            };
    }

    /// <summary>Every fixture, as (channel, path relative to its channel folder).</summary>
    public static IEnumerable<(string Channel, string File)> All()
    {
        foreach (var channel in Channels)
        {
            var folder = Path.Combine(Root, channel);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (IsFixture(channel, path))
                {
                    yield return (channel, Path.GetRelativePath(folder, path).Replace('\\', '/'));
                }
            }
        }
    }

    public static bool IsFixture(string channel, string path) =>
        Path.GetExtension(path).Equals(channel == "email" ? ".eml" : ".json", StringComparison.OrdinalIgnoreCase);

    public static byte[] Read(string channel, string file) => File.ReadAllBytes(Path.Combine(Root, channel, file));

    /// <summary>The folder's <c>expected.tsv</c> (file, outcome, why; <c>#</c> starts a comment); files not listed are messages.</summary>
    public static IReadOnlyDictionary<string, Expectation> Expectations(string channel)
    {
        var path = Path.Combine(Root, channel, "expected.tsv");
        var expectations = new Dictionary<string, Expectation>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return expectations;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length != 3 || columns[2].Trim().Length == 0)
            {
                throw new InvalidDataException($"{path}: '{line}' is not file<TAB>outcome<TAB>why.");
            }

            expectations.Add(columns[0], Expectation.Parse(columns[1], columns[2]));
        }

        return expectations;
    }

    public static Expectation ExpectationOf(string channel, string file) =>
        Expectations(channel).TryGetValue(file, out var expectation) ? expectation : new(Expectation.Message, null, "a customer's message");

    /// <summary>A Telegram fixture as an update: a bare message (as libraries' tests keep them) is wrapped in one.</summary>
    public static string TelegramUpdate(byte[] fixture)
    {
        var node = JsonNode.Parse(fixture)!.AsObject();
        return node.ContainsKey("update_id") ? node.ToJsonString() : new JsonObject { ["update_id"] = 100_001, ["message"] = node }.ToJsonString();
    }
}
