namespace Intake.Tests.Architecture;

/// <summary>
/// The library's folders depend on each other one way (docs/architecture.md), checked on the source as
/// <see cref="LibraryDependencies"/> reads it: no two folders use each other but the pairs listed here, no channel uses
/// another, the bottom folders use nothing above them, and nothing listed here as an exception has gone without the list
/// saying so; and, so that none of that passes for want of references, the scan sees Hosting use every other folder. A
/// failure names the files and types behind each offending reference, then every folder's dependencies.
/// </summary>
public sealed class DependencyDirectionTests
{
    /// <summary>
    /// Top-level folders allowed to use each other both ways, each with what holds it: none since the folders became a
    /// one-way graph; an entry that no longer happens fails (<see cref="Every_listed_exception_still_happens"/>). Each pair
    /// in ordinal order; <c>Channels/&lt;Name&gt;</c> counts as <c>Channels</c>.
    /// </summary>
    private static readonly Dictionary<(string, string), string> TwoWayPairs = [];

    /// <summary>References from one channel to another allowed, each with what holds it: none; shared pieces live outside the channels.</summary>
    private static readonly Dictionary<(string From, string To), string> ChannelToChannel = [];

    /// <summary>The folders every feature stands on: they use nothing but each other.</summary>
    private static readonly string[] Bottom = ["Triage", "Storage", "Web", "Telemetry", "Texts"];

    private static LibraryDependencies Library => LibraryDependencies.Current;

    [Fact]
    public void No_two_folders_depend_on_each_other_both_ways_but_the_listed_pairs()
    {
        var unlisted = TwoWay().Where(pair => !TwoWayPairs.ContainsKey(pair)).ToList();

        Assert.True(unlisted.Count == 0, Report(
            "These folders use each other both ways. Move what both need below both; while that waits, list the pair in TwoWayPairs with why:",
            unlisted.SelectMany(pair => Between(pair.Item1, pair.Item2).Concat(Between(pair.Item2, pair.Item1))),
            LibraryDependencies.TopLevel));
    }

    [Fact]
    public void No_channel_depends_on_another_channel()
    {
        var crossings = Library.References
            .Where(r => IsChannel(r.From) && IsChannel(r.To) && !ChannelToChannel.ContainsKey((r.From, r.To)))
            .ToList();

        Assert.True(crossings.Count == 0, Report(
            "A channel uses another channel. What several channels share lives outside Channels/<Name> (Web/, Outbound/, Tickets/…):",
            crossings,
            folder => folder));
    }

    [Fact]
    public void The_bottom_folders_use_no_folder_above_them()
    {
        // A renamed bottom folder would make the rule hold by default.
        Assert.All(Bottom, folder => Assert.Contains(folder, Library.Folders));

        var upward = Library.References
            .Where(r => Bottom.Contains(LibraryDependencies.TopLevel(r.From)) && !Bottom.Contains(LibraryDependencies.TopLevel(r.To)))
            .ToList();

        Assert.True(upward.Count == 0, Report(
            $"A bottom folder ({string.Join(", ", Bottom)}) uses a folder above it; dependencies point down:",
            upward,
            LibraryDependencies.TopLevel));
    }

    [Fact]
    public void Every_listed_exception_still_happens()
    {
        var twoWay = TwoWay().ToHashSet();
        var stale = TwoWayPairs.Keys.Where(pair => !twoWay.Contains(pair)).Select(pair => $"  {pair.Item1} <-> {pair.Item2} in {nameof(TwoWayPairs)}")
            .Concat(ChannelToChannel.Keys
                .Where(edge => !Library.References.Any(r => r.From == edge.From && r.To == edge.To))
                .Select(edge => $"  {edge.From} -> {edge.To} in {nameof(ChannelToChannel)}"))
            .ToList();

        Assert.True(stale.Count == 0, string.Join(Environment.NewLine, [
            "These are listed as exceptions but no longer happen (or a pair is not in ordinal order); take them off the list so they cannot come back unnoticed:",
            .. stale,
            "",
            "Every dependency between folders:",
            Library.EdgeList(LibraryDependencies.TopLevel),
        ]));
    }

    [Fact]
    public void The_scan_sees_hosting_use_every_folder_it_composes_and_every_folder_used()
    {
        // Hosting's AddIntake and MapIntake call each feature's own registration, and every folder serves another: a
        // folder nothing reaches means the scan resolves less than it should (a reference missing from the compilation),
        // and every check above would pass for want of references. Telemetry and Texts register nothing; the features use them.
        var composed = Library.References.Where(r => r.From == "Hosting").Select(r => LibraryDependencies.TopLevel(r.To)).ToHashSet();
        var used = Library.References.Select(r => LibraryDependencies.TopLevel(r.To)).ToHashSet();
        var unreached = Library.Folders.Select(LibraryDependencies.TopLevel).Distinct()
            .Where(folder => folder != "Hosting" && !(folder is "Telemetry" or "Texts" ? used : composed).Contains(folder)).ToList();

        Assert.True(unreached.Count == 0, string.Join(Environment.NewLine, [
            $"Nothing uses {string.Join(", ", unreached)}: either the scan no longer resolves names, or Hosting no longer registers that folder.",
            "",
            "Every dependency between folders:",
            Library.EdgeList(LibraryDependencies.TopLevel),
        ]));
    }

    private static bool IsChannel(string folder) => folder.StartsWith("Channels/", StringComparison.Ordinal);

    /// <summary>Top-level folders that use each other, each pair once in ordinal order.</summary>
    private static IEnumerable<(string, string)> TwoWay()
    {
        var edges = Library.References
            .Select(r => (From: LibraryDependencies.TopLevel(r.From), To: LibraryDependencies.TopLevel(r.To)))
            .Where(edge => edge.From != edge.To)
            .ToHashSet();
        return edges.Where(edge => string.CompareOrdinal(edge.From, edge.To) < 0 && edges.Contains((edge.To, edge.From))).Order();
    }

    private static IEnumerable<FolderReference> Between(string from, string to) =>
        Library.References.Where(r => LibraryDependencies.TopLevel(r.From) == from && LibraryDependencies.TopLevel(r.To) == to);

    private static string Report(string problem, IEnumerable<FolderReference> references, Func<string, string> folder) =>
        string.Join(Environment.NewLine, [
            problem,
            .. references.Select(r => $"  {r}"),
            "",
            "Every dependency between folders:",
            Library.EdgeList(folder),
        ]);
}
