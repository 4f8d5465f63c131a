using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Intake.Channels.Email;
using Intake.Tests.Functions;
using Intake.Tests.Integration;
using static Intake.Tests.Channels.Email.InboundParsePosts;
using static Intake.Tests.Security.MailIntakeProbe;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a regular expression that backtracks runs for minutes on input built for it (a delivery report whose
/// Message-ID is 200,000 <c>@</c>), holding a request thread and a core; a few such mails take the server down. Every
/// regex in the product runs with <see cref="RegexOptions.NonBacktracking"/> (linear in its input) or a finite match
/// timeout; this holds for each regex over hostile input of 200,000 characters, through the endpoint that reaches it
/// where there is one, and a structural test fails for any regex added without either.
/// </summary>
public sealed class RegexBacktrackingTests(AzuriteFixture azurite)
{
    private const int Hostile = 200_000;

    /// <summary>Generous: the fixed code answers in about a second; the old code did not answer at all.</summary>
    private const int Patience = 120_000;

    [Fact(Timeout = Patience)]
    public async Task A_delivery_report_naming_a_message_id_of_200000_at_signs_is_answered()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var bounce = await PostAsync(client, Parsed(
            $"Your message could not be delivered.\nMessage-ID: <{new string('@', Hostile)} x\nOriginal-Message-ID:{new string('@', Hostile)}!",
            subject: "Undelivered Mail Returned to Sender",
            from: "MAILER-DAEMON@mx.elsewhere.example",
            messageId: "<b-1@mx.elsewhere.example>",
            extraHeaders: ["Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\""],
            envelopeFrom: ""));

        Assert.Equal("ignored", bounce.Status);
    }

    [Fact(Timeout = Patience)]
    public async Task Mail_bodies_and_subjects_built_against_the_quote_signature_and_reference_patterns_are_answered()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var spaces = new string(' ', Hostile);
        string[] bodies =
        [
            "On " + Repeat("x ", Hostile / 2) + "\nnext",                         // Attribution
            "On 1 " + Repeat("a ", Hostile / 2) + " wrote:\nunquoted text",       // DatedAttribution after an attribution
            "On" + spaces + "x\n" + Repeat("写", Hostile) + "\n",                 // Attribution's Chinese branches
            "--" + new string('-', Hostile) + "x",                               // HistoryStart
            "从我的" + new string('x', Hostile),                                   // SignOff
            "From: x\n" + "Sent" + spaces + "x\nTo" + spaces + "x\n",            // OutlookField
        ];

        for (var i = 0; i < bodies.Length; i++)
        {
            var outcome = await PostAsync(client, Parsed(bodies[i], subject: "[" + spaces + "T-" + new string('A', Hostile), messageId: $"<hostile-{i}@customer.example>"));
            Assert.Equal("created", outcome.Status);
        }
    }

    public static TheoryData<string> ProductRegexes() => [.. AllRegexes().Select(r => r.Name)];

    [Theory(Timeout = Patience)]
    [MemberData(nameof(ProductRegexes))]
    public async Task Every_regex_of_the_product_finishes_over_hostile_input(string name)
    {
        var regex = AllRegexes().Single(r => r.Name == name).Regex;

        // On a thread of its own, so that the test's timeout can report a regex that never returns.
        var matches = await Task.Run(() => HostileInputs().Sum(input => regex.Matches(input).Sum(m => m.Groups.Count)), TestContext.Current.CancellationToken);

        Assert.True(matches >= 0);
    }

    [Fact]
    public void Every_regex_of_the_product_is_non_backtracking_or_has_a_finite_timeout()
    {
        var regexes = AllRegexes();

        Assert.NotEmpty(regexes);
        Assert.All(regexes, r => Assert.True(
            r.Regex.Options.HasFlag(RegexOptions.NonBacktracking) || r.Regex.MatchTimeout != Regex.InfiniteMatchTimeout,
            $"{r.Name} may backtrack without limit: give it RegexOptions.NonBacktracking or a match timeout."));
    }

    [Fact]
    public void No_product_code_builds_a_regex_outside_a_generated_method_or_a_static_field()
    {
        // Instances built in a method body, and Regex's static helpers, escape the reflection above: none may exist.
        string[] forbidden = ["new Regex(", "Regex.IsMatch(", "Regex.Match(", "Regex.Matches(", "Regex.Replace(", "Regex.Split(", "Regex.Count(", "Regex.EnumerateMatches("];
        var sources = Directory.EnumerateFiles(Path.Combine(FunctionsSource.RepositoryRoot, "functions"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

        var offenders = sources.SelectMany(path => forbidden.Where(f => File.ReadAllText(path).Contains(f, StringComparison.Ordinal)).Select(f => $"{path}: {f}")).ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_email_channels_own_regexes_are_all_found_by_the_reflection()
    {
        var names = AllRegexes().Select(r => r.Name).ToList();

        Assert.Contains(names, n => n.EndsWith("EmailIntake.ReportedMessageId", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("EmailText.Attribution", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("EmailReplySender.BracketedId", StringComparison.Ordinal));
    }

    /// <summary>Every regex the Intake assembly holds: <c>[GeneratedRegex]</c> methods and properties, and static fields or properties of type <see cref="Regex"/>.</summary>
    private static List<(string Name, Regex Regex)> AllRegexes()
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var found = new List<(string, Regex)>();
        foreach (var type in typeof(EmailIntake).Assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(All).Where(m => m.GetCustomAttribute<GeneratedRegexAttribute>() is not null))
            {
                Assert.True(method.IsStatic && method.GetParameters().Length == 0, $"{type.FullName}.{method.Name}: a generated regex the test cannot reach.");
                found.Add(($"{type.FullName}.{method.Name}", (Regex)method.Invoke(null, null)!));
            }

            foreach (var property in type.GetProperties(All).Where(p => p.GetCustomAttribute<GeneratedRegexAttribute>() is not null || (p.PropertyType == typeof(Regex) && p.GetMethod?.IsStatic == true)))
            {
                found.Add(($"{type.FullName}.{property.Name}", (Regex)property.GetValue(null)!));
            }

            foreach (var field in type.GetFields(All).Where(f => typeof(Regex).IsAssignableFrom(f.FieldType)))
            {
                // The generator caches its instance in a field of its own nested type: that one is covered by its method.
                if (field.DeclaringType?.Namespace == "System.Text.RegularExpressions.Generated" || field.DeclaringType?.FullName?.Contains("RegexGenerator", StringComparison.Ordinal) == true)
                {
                    continue;
                }

                Assert.True(field.IsStatic, $"{type.FullName}.{field.Name}: an instance Regex field the test cannot check.");
                if (field.GetValue(null) is Regex value)
                {
                    found.Add(($"{type.FullName}.{field.Name}", value));
                }
            }
        }

        return found;
    }

    private static IEnumerable<string> HostileInputs()
    {
        yield return new string('@', Hostile);
        yield return "Message-ID: <" + new string('@', Hostile) + " x";
        yield return new string(' ', Hostile) + "!";
        yield return Repeat("a ", Hostile / 2) + "!";
        yield return Repeat("[ ", Hostile / 2);
        yield return Repeat("<a", Hostile / 2);
        yield return "On " + Repeat("1 ", Hostile / 2);
        yield return new string('-', Hostile) + "x";
        yield return new string('0', Hostile) + ":";
        yield return Repeat("a_", Hostile / 2) + "!";
    }

    private static string Repeat(string unit, int count) => new StringBuilder(unit.Length * count).Insert(0, unit, count).ToString();
}
