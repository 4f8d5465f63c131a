using System.Globalization;
using System.Text.Json;

namespace Intake.Triage;

/// <summary>
/// <c>triage train</c>: trains the two models beside the rules on labelled sets (JSON lines with <c>text</c> and
/// <c>expect.category</c>) — the second opinion (an incident is <c>security</c>) and the category opinion — and writes
/// them into the rules folder the engine embeds; with <c>--folds</c> it writes nothing and measures instead, leaving
/// each set out in turn and scoring the models trained on the rest (the second opinion at the raise-at probability in
/// categories.json, the category opinion alone, as if the rules said nothing).
/// </summary>
public static class SecondOpinionTraining
{
    public const string Usage = "usage: triage train RULES-FOLDER SET.jsonl...   |   triage train --folds [--at P] SET.jsonl...";

    /// <summary>The file of the second opinion in the rules folder.</summary>
    public const string SecondOpinionFile = "second-opinion.bin";

    /// <summary>The file of the category opinion in the rules folder.</summary>
    public const string CategoryOpinionFile = "category-opinion.bin";

    /// <summary>One labelled set: the name of its file and each message as the models read it, with its category.</summary>
    public sealed record LabelledSet(string Name, IReadOnlyList<(string Folded, TicketCategory Category)> Examples)
    {
        /// <summary>Each message and whether it is an incident, as the second opinion learns it.</summary>
        public IEnumerable<(string Folded, bool Incident)> Incidents => Examples.Select(e => (e.Folded, e.Category == TicketCategory.Security));
    }

    /// <summary>The sets in the order of their file names, so that the order of the arguments does not change the model.</summary>
    /// <exception cref="InvalidDataException">A line is not a labelled message.</exception>
    public static List<LabelledSet> ReadAll(IEnumerable<string> paths, TriageEngine engine) =>
        [.. paths.OrderBy(Path.GetFileName, StringComparer.Ordinal).Select(path => Read(path, engine))];

    /// <exception cref="InvalidDataException">A line is not a labelled message.</exception>
    public static LabelledSet Read(string path, TriageEngine engine)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(engine);
        var examples = new List<(string, TicketCategory)>();
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
                var name = document.RootElement.GetProperty("expect").GetProperty("category").GetString() ?? "";
                if (!TriageNames.TryParseCategory(name, out var category))
                {
                    throw new InvalidDataException($"{Path.GetFileName(path)} line {number} has no category this engine knows ('{name}').");
                }

                examples.Add((engine.FoldedForSecondOpinion(text), category));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{Path.GetFileName(path)} line {number} is not a labelled message ({ex.GetType().Name}).", ex);
            }
        }

        return new LabelledSet(Path.GetFileNameWithoutExtension(path), examples);
    }

    /// <summary>
    /// Leaves each set out in turn: how many of its incidents the second opinion trained on the others finds at
    /// <paramref name="raiseAt"/>, how many others it would raise, and how many categories the category opinion trained
    /// on the others reads right on its own.
    /// </summary>
    public static IReadOnlyList<Fold> Folds(IReadOnlyList<LabelledSet> sets, double raiseAt)
    {
        ArgumentNullException.ThrowIfNull(sets);

        // Each fold trains its own models from the same examples, so they run side by side and give the same figures.
        return [.. sets.AsParallel().AsOrdered().Select(left =>
        {
            var rest = sets.Where(s => s != left).ToList();
            var incidentModel = SecondOpinion.Train([.. rest.SelectMany(s => s.Incidents)]);
            var categoryModel = CategoryOpinion.Train([.. rest.SelectMany(s => s.Examples)]);
            var fold = new Fold(left.Name, 0, 0, 0, 0, 0);
            foreach (var (folded, category) in left.Examples)
            {
                var up = incidentModel.Probability(folded) >= raiseAt;
                fold = category == TicketCategory.Security
                    ? fold with { Incidents = fold.Incidents + 1, Found = fold.Found + (up ? 1 : 0) }
                    : fold with { Others = fold.Others + 1, Raised = fold.Raised + (up ? 1 : 0) };
                if (categoryModel.Likeliest(folded).Category == category)
                {
                    fold = fold with { CategoriesRight = fold.CategoriesRight + 1 };
                }
            }

            return fold;
        })];
    }

    /// <summary>One set left out: its incidents and how many the second opinion found, its other messages and how many it raised, the categories the category opinion read right.</summary>
    public sealed record Fold(string Set, int Incidents, int Found, int Others, int Raised, int CategoriesRight)
    {
        public int Messages => Incidents + Others;
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

        if (sets.Count == 0 || raiseAt is double.NaN || (!folds && !Directory.Exists(args[0])) || sets.Any(s => !File.Exists(s)))
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

        if (folds)
        {
            var at = raiseAt ?? 0.5;
            var rows = Folds(labelled, at);
            foreach (var row in rows)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Set}: incidents found {row.Found}/{row.Incidents}, others raised {row.Raised}/{row.Others}, categories right {row.CategoriesRight}/{row.Messages}")).ConfigureAwait(false);
            }

            var (incidents, found, others, raised, right) = (rows.Sum(r => r.Incidents), rows.Sum(r => r.Found), rows.Sum(r => r.Others), rows.Sum(r => r.Raised), rows.Sum(r => r.CategoriesRight));
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"each set left out, raise at {at}: incidents found {found}/{incidents} ({(double)found / Math.Max(1, incidents):P1}), others raised {raised}/{others} ({(double)raised / Math.Max(1, others):P1}); the category opinion alone right on {right}/{incidents + others} ({(double)right / Math.Max(1, incidents + others):P1})")).ConfigureAwait(false);
            return 0;
        }

        var all = labelled.SelectMany(s => s.Examples).ToList();
        SecondOpinion incidentModel;
        CategoryOpinion categoryModel;
        try
        {
            incidentModel = SecondOpinion.Train([.. labelled.SelectMany(s => s.Incidents)]);
            categoryModel = CategoryOpinion.Train(all);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }

        await using (var output = File.Create(Path.Combine(args[0], SecondOpinionFile)))
        {
            incidentModel.Save(output);
        }

        await using (var output = File.Create(Path.Combine(args[0], CategoryOpinionFile)))
        {
            categoryModel.Save(output);
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{args[0]}: {SecondOpinionFile} and {CategoryOpinionFile} trained on {all.Count} messages from {labelled.Count} sets, {all.Count(e => e.Category == TicketCategory.Security)} of them incidents")).ConfigureAwait(false);
        return 0;
    }
}
