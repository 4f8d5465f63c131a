using System.Text.RegularExpressions;
using Intake.Desk;

namespace Intake.Tests.Desk;

public sealed partial class DeskTextsTests
{
    private static readonly string[] Networks = [EntityNetworks.Evm, EntityNetworks.Bitcoin, EntityNetworks.Tron, EntityNetworks.Unknown];
    private static readonly string[] SlaEventKinds = ["warning", "breached", "met"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_text_of_the_desk_and_the_dashboard_is_in_every_language_with_the_same_placeholders(bool dashboard)
    {
        Func<string, DeskTexts> of = dashboard ? DeskTexts.ForDashboard : DeskTexts.For;
        var english = of("en");
        var names = english.Names().ToList();
        Assert.NotEmpty(names);
        foreach (var language in DeskTexts.Languages.Skip(1))
        {
            var texts = of(language);
            Assert.Equal(language, texts.Language);
            var missing = names.Where(name => texts.Own(name) is null).ToList();
            Assert.True(missing.Count == 0, $"{language} lacks: {string.Join(", ", missing)}");
            var different = names.Where(name => !Placeholders(texts.Own(name)!).SetEquals(Placeholders(english.Own(name)!))).ToList();
            Assert.True(different.Count == 0, $"{language} has other placeholders in: {string.Join(", ", different)}");
        }
    }

    [Fact]
    public void Every_name_the_desk_builds_from_a_closed_set_has_a_text()
    {
        var english = DeskTexts.For("en");
        string[] built =
        [
            .. Enum.GetValues<Intake.Tickets.TicketStatus>().Select(s => "Status." + Intake.Tickets.TicketNames.ToName(s)),
            .. Enum.GetValues<Intake.Triage.Urgency>().Select(u => "Urgency." + Intake.Triage.TriageNames.ToName(u)),
            .. Enum.GetValues<Intake.Triage.TicketCategory>().Select(c => "Category." + Intake.Triage.TriageNames.ToName(c)),
            .. Enum.GetValues<Intake.Triage.SecretKind>().Select(k => "Secret." + Intake.Triage.TriageNames.ToName(k)),
            .. Networks.Select(n => "Network." + n),
            .. SlaEventKinds.Select(k => "SlaEvent." + k),
            .. typeof(Intake.Tickets.ChannelNames).GetFields().Select(f => "Channel." + f.GetValue(null)),
        ];

        Assert.All(built, name => Assert.NotEqual(name, english[name]));
    }

    [Theory]
    [InlineData("functions/Intake/Desk/DeskTexts.resx")]
    [InlineData("functions/Intake/Desk/Dashboard/DashboardTexts.resx")]
    public void No_two_names_differ_only_in_case_since_the_resource_reader_would_keep_one_of_them(string file)
    {
        var root = Intake.Server.Storage.Azurite.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var names = System.Xml.Linq.XDocument.Load(Path.Combine(root, file)).Root!.Elements("data").Select(e => (string)e.Attribute("name")!).ToList();

        Assert.NotEmpty(names);
        Assert.Empty(names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)));
    }

    [Theory]
    [InlineData("zh-CN", "zh-Hans")]
    [InlineData("zh-Hans-HK", "zh-Hans")]
    [InlineData("en-GB", "en")]
    [InlineData("ru", "en")]
    [InlineData(null, "en")]
    public void A_tag_the_desk_does_not_speak_reads_english(string? tag, string expected)
    {
        Assert.Equal(expected, DeskTexts.For(tag).Language);
        Assert.Equal(expected == "en" ? "Support dashboard" : "客服数据看板", DeskTexts.ForDashboard(tag)["Title"]);
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
