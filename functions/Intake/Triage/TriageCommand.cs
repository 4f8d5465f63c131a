using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Intake.Triage;

/// <summary>
/// The <c>triage</c> command: JSON lines <c>{"id","text"}</c> in, one JSON line per message out. A line that cannot
/// be read yields <c>{"line":N,"error":"..."}</c> and the run goes on. Errors never quote the input, so nothing a
/// customer wrote reaches the output except through the redacted text. With <c>--explain</c> each line also carries
/// <c>explain</c>: the rules that fired with their weights and matched words (never a secret), the concepts found,
/// the category scores and the policies applied.
/// </summary>
public static class TriageCommand
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep Chinese, Cyrillic and the rest readable; the output is for people and tools, not for HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 16 };

    /// <returns>0 when every line was triaged, 1 when at least one line was malformed.</returns>
    public static async Task<int> RunAsync(TextReader input, Stream output, TriageEngine engine, CancellationToken cancellationToken = default) =>
        await RunAsync(input, output, engine, explain: false, cancellationToken).ConfigureAwait(false);

    /// <returns>0 when every line was triaged, 1 when at least one line was malformed.</returns>
    public static async Task<int> RunAsync(TextReader input, Stream output, TriageEngine engine, bool explain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(engine);

        var buffer = new ArrayBufferWriter<byte>(4096);
        var malformed = 0;
        var lineNumber = 0;
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                if (TryRead(line, out var id, out var text, out var error))
                {
                    if (explain)
                    {
                        var explanation = engine.Explain(text);
                        Write(writer, id, explanation.Result, explanation);
                    }
                    else
                    {
                        Write(writer, id, engine.Triage(text));
                    }
                }
                else
                {
                    malformed++;
                    writer.WriteStartObject();
                    writer.WriteNumber("line", lineNumber);
                    writer.WriteString("error", error);
                    writer.WriteEndObject();
                }
            }

            buffer.Write("\n"u8);
            await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return malformed == 0 ? 0 : 1;
    }

    /// <summary>Reads one input line; the error, when there is one, describes the shape, never the content.</summary>
    internal static bool TryRead(string line, out string? id, out string text, out string error)
    {
        id = null;
        text = "";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, ReaderOptions);
        }
        catch (JsonException ex)
        {
            error = ex.BytePositionInLine is { } position
                ? $"not valid JSON (at character {position + 1})"
                : "not valid JSON";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "expected a JSON object {\"id\",\"text\"}";
                return false;
            }

            if (!root.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
            {
                error = "\"text\" is missing or not a string";
                return false;
            }

            if (root.TryGetProperty("id", out var idElement))
            {
                switch (idElement.ValueKind)
                {
                    case JsonValueKind.String:
                        id = idElement.GetString();
                        break;
                    case JsonValueKind.Number:
                        id = idElement.GetRawText();
                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        error = "\"id\" must be a string or a number";
                        return false;
                }
            }

            text = textElement.GetString()!;
            error = "";
            return true;
        }
    }

    internal static void Write(Utf8JsonWriter writer, string? id, TriageResult result, TriageExplanation? explanation = null)
    {
        writer.WriteStartObject();
        if (id is null)
        {
            writer.WriteNull("id");
        }
        else
        {
            writer.WriteString("id", id);
        }

        writer.WriteString("language", result.Language);
        writer.WriteString("category", result.Category.ToName());
        writer.WriteString("urgency", result.Urgency.ToName());
        writer.WriteStartArray("secrets");
        foreach (var kind in result.Secrets)
        {
            writer.WriteStringValue(kind.ToName());
        }

        writer.WriteEndArray();
        writer.WriteString("redactedText", result.RedactedText);
        writer.WriteStartObject("entities");
        WriteArray(writer, "txHashes", result.Entities.TxHashes);
        WriteArray(writer, "addresses", result.Entities.Addresses);
        WriteArray(writer, "assets", result.Entities.Assets);
        WriteArray(writer, "networks", result.Entities.Networks);
        WriteArray(writer, "amounts", result.Entities.Amounts);
        WriteArray(writer, "orderIds", result.Entities.OrderIds);
        writer.WriteEndObject();
        WriteArray(writer, "flags", result.Flags);
        WriteArray(writer, "rules", result.Rules);
        if (explanation is not null)
        {
            WriteExplanation(writer, explanation);
        }

        writer.WriteEndObject();
    }

    private static void WriteExplanation(Utf8JsonWriter writer, TriageExplanation explanation)
    {
        writer.WriteStartObject("explain");
        writer.WriteStartArray("fired");
        foreach (var hit in explanation.Rules)
        {
            writer.WriteStartObject();
            writer.WriteString("rule", hit.Rule);
            if (hit.Category is not null)
            {
                writer.WriteString("category", hit.Category);
            }

            writer.WriteNumber("weight", hit.Weight);
            if (hit.Signal is not null)
            {
                writer.WriteString("signal", hit.Signal);
            }

            WriteArray(writer, "matched", hit.Matched);
            if (hit.WithheldBy is not null)
            {
                writer.WriteString("withheldBy", hit.WithheldBy);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("concepts");
        foreach (var concept in explanation.Concepts)
        {
            writer.WriteStartObject();
            writer.WriteString("concept", concept.Concept);
            writer.WriteString("matched", concept.Matched);
            writer.WriteNumber("sentence", concept.Sentence);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("scores");
        foreach (var (category, score) in explanation.Scores)
        {
            writer.WriteNumber(category, score);
        }

        writer.WriteEndObject();
        WriteArray(writer, "policies", explanation.Policies);
        if (explanation.SecondOpinion is { } opinion)
        {
            writer.WriteStartObject("secondOpinion");
            writer.WriteNumber("probability", Math.Round(opinion.Probability, 3));
            writer.WriteNumber("raiseAt", opinion.RaiseAt);
            writer.WriteBoolean("raised", opinion.Raised);
            EndModelObject(writer, opinion.Strongest, opinion.WithheldBy);
        }

        if (explanation.CategoryOpinion is { } reading)
        {
            writer.WriteStartObject("categoryOpinion");
            writer.WriteString("category", reading.Category.ToName());
            writer.WriteNumber("probability", Math.Round(reading.Probability, 3));
            writer.WriteNumber("at", reading.At);
            writer.WriteBoolean("applied", reading.Applied);
            EndModelObject(writer, reading.Strongest, reading.WithheldBy);
        }

        writer.WriteEndObject();
    }

    /// <summary>What both trained models' views end with: their strongest n-grams and the policy that withheld them, if one did.</summary>
    private static void EndModelObject(Utf8JsonWriter writer, IReadOnlyList<string> strongest, string? withheldBy)
    {
        WriteArray(writer, "strongest", strongest);
        if (withheldBy is not null)
        {
            writer.WriteString("withheldBy", withheldBy);
        }

        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>Runs the command on the process's standard streams (UTF-8 both ways).</summary>
    /// <param name="args">The arguments after <c>triage</c>: none, <c>--explain</c>, or <c>train</c> and its own (<see cref="SecondOpinionTraining"/>).</param>
    /// <returns>As <see cref="RunAsync(TextReader, Stream, TriageEngine, bool, CancellationToken)"/>; 2 for arguments it does not know.</returns>
    public static async Task<int> RunOnConsoleAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["train", ..])
        {
            // The sets are read by the rules alone (redaction does not depend on the models), so a model of an older
            // shape never stops its own retraining.
            var rules = TriageRules.LoadEmbedded(models: false);
            var raiseAt = rules.Categories.SecondOpinionAt;
            (rules.Categories.SecondOpinionAt, rules.Categories.CategoryOpinionAt) = (null, null);
            return await SecondOpinionTraining.RunOnConsoleAsync([.. args.Skip(1)], new TriageEngine(rules), raiseAt).ConfigureAwait(false);
        }

        var explain = args is ["--explain"];
        if (args.Count > 0 && !explain)
        {
            await Console.Error.WriteLineAsync("usage: triage [--explain] < messages.jsonl   (one {\"id\",\"text\"} object a line)").ConfigureAwait(false);
            await Console.Error.WriteLineAsync("       " + SecondOpinionTraining.Usage).ConfigureAwait(false);
            return 2;
        }

        using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        await using var output = Console.OpenStandardOutput();
        return await RunAsync(input, output, TriageEngine.Default, explain, cancellationToken).ConfigureAwait(false);
    }
}
