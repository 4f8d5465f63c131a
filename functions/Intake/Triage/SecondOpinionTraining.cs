using System.Globalization;
using System.Text.Json;

namespace Intake.Triage;

/// <summary>
/// <c>triage train</c>: trains the second opinion on labelled sets (JSON lines with <c>text</c> and
/// <c>expect.category</c>; an incident is <c>security</c>) and writes the model the engine embeds; with
/// <c>--folds</c> it writes nothing and measures instead, leaving each set out in turn and scoring the model trained on
/// the rest at the raise-at probability in categories.json — the honest figure, as the left-out set is unseen.
/// </summary>
public static class SecondOpinionTraining
{
    public const string Usage = "usage: triage train MODEL.bin SET.jsonl...   |   triage train --folds [--at P] SET.jsonl...";

    /// <summary>One labelled set: the name of its file and each message as the second opinion reads it.</summary>
    public sealed record LabelledSet(string Name, IReadOnlyList<(string Folded, bool Incident)> Examples);

    /// <summary>The sets in the order of their file names, so that the order of the arguments does not change the model.</summary>
    /// <exception cref="InvalidDataException">A line is not a labelled message.</exception>
    public static List<LabelledSet> ReadAll(IEnumerable<string> paths, TriageEngine engine) =>
        [.. paths.OrderBy(Path.GetFileName, StringComparer.Ordinal).Select(path => Read(path, engine))];

    /// <exception cref="InvalidDataException">A line is not a labelled message.</exception>
    public static LabelledSet Read(string path, TriageEngine engine)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(engine);
        var examples = new List<(string, bool)>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var text = document.RootElement.GetProperty("text").GetString() ?? throw new InvalidDataException("text is null");
                var category = document.RootElement.GetProperty("expect").GetProperty("category").GetString();
                examples.Add((engine.FoldedForSecondOpinion(text), category == "security"));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{Path.GetFileName(path)} line {number} is not a labelled message ({ex.GetType().Name}).", ex);
            }
        }

        return new LabelledSet(Path.GetFileNameWithoutExtension(path), examples);
    }

    /// <summary>Leaves each set out in turn: how many of its incidents the model trained on the others finds at <paramref name="raiseAt"/>, and how many others it would raise.</summary>
    public static IReadOnlyList<(string Set, int Incidents, int Found, int Others, int Raised)> Folds(IReadOnlyList<LabelledSet> sets, double raiseAt)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var folds = new List<(string, int, int, int, int)>(sets.Count);
        foreach (var left in sets)
        {
            var model = SecondOpinion.Train([.. sets.Where(s => s != left).SelectMany(s => s.Examples)]);
            var (incidents, found, others, raised) = (0, 0, 0, 0);
            foreach (var (folded, incident) in left.Examples)
            {
                var up = model.Probability(folded) >= raiseAt;
                (incidents, found, others, raised) = incident
                    ? (incidents + 1, found + (up ? 1 : 0), others, raised)
                    : (incidents, found, others + 1, raised + (up ? 1 : 0));
            }

            folds.Add((left.Name, incidents, found, others, raised));
        }

        return folds;
    }

    /// <param name="args">The arguments after <c>triage train</c>.</param>
    /// <returns>0 on success, 1 when a set cannot be read or holds only one kind of message, 2 for arguments it does not know.</returns>
    public static async Task<int> RunOnConsoleAsync(IReadOnlyList<string> args, TriageEngine engine, double? raiseAt)
    {
        ArgumentNullException.ThrowIfNull(args);
        var folds = args.Count > 0 && args[0] == "--folds";
        var sets = args.Skip(1).ToList();
        if (folds && sets is ["--at", var value, ..])
        {
            raiseAt = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var at) && at is > 0 and <= 1 ? at : double.NaN;
            sets = sets[2..];
        }

        if (sets.Count == 0 || raiseAt is double.NaN || (!folds && (args[0].StartsWith('-') || !args[0].EndsWith(".bin", StringComparison.Ordinal))) || sets.Any(s => !File.Exists(s)))
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        List<LabelledSet> labelled;
        try
        {
            labelled = ReadAll(sets, engine);
        }
        catch (InvalidDataException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }

        var all = labelled.SelectMany(s => s.Examples).ToList();
        if (folds)
        {
            var at = raiseAt ?? 0.5;
            var rows = Folds(labelled, at);
            foreach (var (set, incidents, found, others, raised) in rows)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{set}: incidents found {found}/{incidents}, others raised {raised}/{others}")).ConfigureAwait(false);
            }

            var (totalIncidents, totalFound, totalOthers, totalRaised) = (rows.Sum(r => r.Incidents), rows.Sum(r => r.Found), rows.Sum(r => r.Others), rows.Sum(r => r.Raised));
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"each set left out, raise at {at}: incidents found {totalFound}/{totalIncidents} ({(double)totalFound / Math.Max(1, totalIncidents):P1}), others raised {totalRaised}/{totalOthers} ({(double)totalRaised / Math.Max(1, totalOthers):P1})")).ConfigureAwait(false);
            return 0;
        }

        SecondOpinion model;
        try
        {
            model = SecondOpinion.Train(all);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }

        await using (var output = File.Create(args[0]))
        {
            model.Save(output);
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{args[0]}: trained on {all.Count} messages from {labelled.Count} sets, {all.Count(e => e.Incident)} of them incidents")).ConfigureAwait(false);
        return 0;
    }
}
