using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Intake.Triage;

namespace Intake.Tests.Triage;

public class TriageCommandTests
{
    private const string Password = "Tr0ub4dor&3";

    [Fact]
    public async Task Writes_one_line_per_message_and_an_error_line_for_each_malformed_one()
    {
        var input = string.Join('\n',
            """{"id":"a1","text":"My withdrawal of 500 USDT (TRC20) has been pending for 6 hours"}""",
            """{"id":"a2","text":"can't log in, password: Tr0ub4dor&3"}""",
            """{"id":"a3","text":""",
            "",
            """["not","an","object"]""",
            """{"id":"a5"}""",
            """{"id":{"nested":true},"text":"hi"}""",
            """{"id":7,"text":"我的账户被盗了"}""");

        var (exitCode, lines) = await RunAsync(input);

        Assert.Equal(1, exitCode);
        Assert.Equal(7, lines.Count);

        var first = lines[0].RootElement;
        Assert.Equal("a1", first.GetProperty("id").GetString());
        Assert.Equal("en", first.GetProperty("language").GetString());
        Assert.Equal("withdrawal", first.GetProperty("category").GetString());
        Assert.Equal("high", first.GetProperty("urgency").GetString());
        Assert.Equal(0, first.GetProperty("secrets").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, first.GetProperty("entities").GetProperty("txHashes").ValueKind);
        Assert.Equal(JsonValueKind.Array, first.GetProperty("entities").GetProperty("addresses").ValueKind);
        Assert.Contains("withdrawal.problem", first.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));

        var second = lines[1].RootElement;
        Assert.Equal(["password"], second.GetProperty("secrets").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("urgent", second.GetProperty("urgency").GetString());
        Assert.Equal("can't log in, password: [REDACTED:password]", second.GetProperty("redactedText").GetString());

        AssertError(lines[2], 3);
        AssertError(lines[3], 5);
        AssertError(lines[4], 6);
        AssertError(lines[5], 7);

        var last = lines[6].RootElement;
        Assert.Equal("7", last.GetProperty("id").GetString());
        Assert.Equal("zh-Hans", last.GetProperty("language").GetString());
        Assert.Equal("security", last.GetProperty("category").GetString());
    }

    [Fact]
    public async Task Never_prints_a_secret_even_in_an_error()
    {
        var input = string.Join('\n',
            $$"""{"id":"s1","text":"password: {{Password}}"}""",
            $$"""{"id":"s2","text":"password: {{Password}}" """,
            $$"""{"id":"s3","text":["password: {{Password}}"]}""");

        var (_, output) = await RunRawAsync(input);

        Assert.False(output.Contains(Password, StringComparison.Ordinal), "a password reached the command's output");
        Assert.Equal(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Explain_adds_the_rules_with_their_weights_and_matched_words_and_never_a_secret()
    {
        var input = $$"""{"id":"e1","text":"someone changed my email and my balance shows 0 now. password: {{Password}}"}""" + "\n";
        using var output = new MemoryStream();

        var exitCode = await TriageCommand.RunAsync(new StringReader(input), output, TriageEngine.Default, explain: true, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        using var line = JsonDocument.Parse(text);
        var explain = line.RootElement.GetProperty("explain");
        var fired = explain.GetProperty("fired").EnumerateArray().ToDictionary(f => f.GetProperty("rule").GetString()!);
        Assert.Equal(7, fired["security.funds_vanished"].GetProperty("weight").GetInt32());
        Assert.Equal(["balance", "shows 0"], fired["security.funds_vanished"].GetProperty("matched").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("[redacted]", fired["secret.password.labelled"].GetProperty("matched")[0].GetString());
        Assert.Contains(explain.GetProperty("concepts").EnumerateArray(), c => c.GetProperty("concept").GetString() == "changed");
        Assert.True(explain.GetProperty("scores").GetProperty("security").GetInt32() >= 12);
        Assert.Equal(JsonValueKind.Array, explain.GetProperty("policies").ValueKind);
        var opinion = explain.GetProperty("secondOpinion");
        Assert.InRange(opinion.GetProperty("probability").GetDouble(), 0, 1);
        Assert.Equal(TriageEngine.Default.SecondOpinionAt, opinion.GetProperty("raiseAt").GetDouble());
        Assert.False(opinion.GetProperty("raised").GetBoolean()); // the rules made it urgent security already
        Assert.NotEqual(0, opinion.GetProperty("strongest").GetArrayLength());
        var reading = explain.GetProperty("categoryOpinion");
        Assert.True(TriageNames.TryParseCategory(reading.GetProperty("category").GetString()!, out _));
        Assert.InRange(reading.GetProperty("probability").GetDouble(), 0, 1);
        Assert.Equal(TriageEngine.Default.CategoryOpinionAt, reading.GetProperty("at").GetDouble());
        Assert.False(reading.GetProperty("applied").GetBoolean()); // urgent: the rules' decision stands
    }

    [Fact]
    public async Task Exits_zero_when_every_line_was_read()
    {
        var (exitCode, lines) = await RunAsync("""{"id":"x","text":"hello"}""" + "\n");

        Assert.Equal(0, exitCode);
        Assert.Single(lines);
    }

    [Fact]
    public async Task Runs_from_the_server_executable()
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Intake.Server.dll");
        var start = new ProcessStartInfo("dotnet", [server, "triage"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync("""{"id":"p1","text":"提币已经三个小时了还没到账"}""");
        await process.StandardInput.WriteLineAsync("not json");
        process.StandardInput.Close();
        var stdout = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("zh-Hans", first.RootElement.GetProperty("language").GetString());
        Assert.Equal("withdrawal", first.RootElement.GetProperty("category").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(2, second.RootElement.GetProperty("line").GetInt32());
        Assert.Equal(1, process.ExitCode);
    }

    private static void AssertError(JsonDocument line, int number)
    {
        var root = line.RootElement;
        Assert.Equal(number, root.GetProperty("line").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("error").GetString()));
        Assert.Equal(2, root.EnumerateObject().Count());
    }

    private static async Task<(int ExitCode, List<JsonDocument> Lines)> RunAsync(string input)
    {
        var (exitCode, output) = await RunRawAsync(input);
        return (exitCode, [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l))]);
    }

    private static async Task<(int ExitCode, string Output)> RunRawAsync(string input)
    {
        using var output = new MemoryStream();
        var exitCode = await TriageCommand.RunAsync(new StringReader(input), output, TriageEngine.Default, TestContext.Current.CancellationToken);
        return (exitCode, Encoding.UTF8.GetString(output.ToArray()));
    }
}
