using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Intake.Tests.Hosting;

/// <summary>
/// README.md is the front door and docs/ the reference: the README stays short and keeps the two set-up commands, no
/// link in either leads nowhere, and docs/configuration.md names every setting the code binds, with the code's defaults.
/// </summary>
public partial class DocumentationTests
{
    private const int ReadmeLimit = 12 * 1024;

    private static readonly string Root = FindRoot(AppContext.BaseDirectory);

    /// <summary>The assemblies whose options classes bind settings: the library and both hosts.</summary>
    private static readonly string[] Assemblies = ["Intake", "Intake.Server", "Intake.Functions"];

    private static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Intake.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Intake.sln above {start}.");
    }

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([Root, .. path]));

    private static IEnumerable<string> MarkdownFiles() =>
        new[] { Path.Combine(Root, "README.md") }.Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal));

    [Fact]
    public void The_readme_is_under_12_KB_and_holds_the_two_set_up_commands_verbatim()
    {
        var path = Path.Combine(Root, "README.md");
        var lines = File.ReadAllLines(path);

        Assert.True(new FileInfo(path).Length < ReadmeLimit, $"README.md is {new FileInfo(path).Length} bytes; the reference belongs in docs/");
        Assert.Contains(lines, line => line == "    dotnet run --project functions/Intake.Server");
        Assert.Contains(lines, line => line == "    dotnet test Intake.sln");
    }

    [Fact]
    public void The_readme_links_every_page_in_docs()
    {
        var links = Links(Read("README.md")).Select(link => link.Split('#')[0]).ToHashSet(StringComparer.Ordinal);

        var unlinked = Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md")
            .Select(page => "docs/" + Path.GetFileName(page))
            .Where(page => !links.Contains(page))
            .ToList();
        Assert.True(unlinked.Count == 0, "README.md does not link " + string.Join(", ", unlinked));
    }

    [Fact]
    public void Every_relative_link_in_the_readme_and_the_docs_points_to_a_file_that_exists()
    {
        var broken = new List<string>();
        foreach (var file in MarkdownFiles())
        {
            var name = Path.GetRelativePath(Root, file);
            foreach (var link in Links(File.ReadAllText(file)))
            {
                if (link.Contains("://", StringComparison.Ordinal) || link.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = link.IndexOf('#', StringComparison.Ordinal);
                var target = hash < 0 ? link : link[..hash];
                var anchor = hash < 0 ? null : link[(hash + 1)..];
                var path = target.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, Uri.UnescapeDataString(target)));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{name}: {link} (no such file)");
                }
                else if (anchor is not null && path.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllText(path)).Contains(anchor))
                {
                    broken.Add($"{name}: {link} (no such heading)");
                }
            }
        }

        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_configuration_page_names_every_setting_an_options_class_binds_and_every_example_setting()
    {
        var documented = ConfigurationTable().Keys.ToList();
        var options = OptionsSettings().Select(s => s.Key).ToList();
        var maps = options.Where(key => key.EndsWith(":<name>", StringComparison.Ordinal)).Select(key => key[..^"<name>".Length]).ToList();

        Assert.Contains("Sla:Urgent:FirstResponse", options);
        Assert.Contains("Intake:ApiKeys:<name>", options);
        var missing = options.Select(key => key.EndsWith(":<name>", StringComparison.Ordinal) ? key[..^"<name>".Length] + "<" : key)
            .Concat(ExampleSettings().Select(key => maps.FirstOrDefault(map => key.StartsWith(map, StringComparison.Ordinal)) is { } map ? map + "<" : key))
            .Distinct(StringComparer.Ordinal)
            .Where(key => key.EndsWith('<') ? !documented.Any(d => d.StartsWith(key, StringComparison.Ordinal)) : !documented.Contains(key))
            .ToList();
        Assert.True(missing.Count == 0, "missing from the table in docs/configuration.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_configuration_page_gives_each_options_default_as_the_code_sets_it()
    {
        var table = ConfigurationTable();

        var wrong = OptionsSettings()
            .Where(setting => setting.Default is not null && table.ContainsKey(setting.Key) && !table[setting.Key].Contains($"`{setting.Default}`", StringComparison.Ordinal))
            .Select(setting => $"{setting.Key}: `{setting.Default}`, not {table[setting.Key]}")
            .ToList();
        Assert.True(wrong.Count == 0, "defaults in docs/configuration.md that differ from the code:\n" + string.Join("\n", wrong));
    }

    /// <summary>The targets of the Markdown links in <paramref name="markdown"/>, outside code.</summary>
    private static IEnumerable<string> Links(string markdown) =>
        InlineLink().Matches(CodeSpan().Replace(FencedCode().Replace(markdown, ""), "")).Select(m => m.Groups["target"].Value);

    /// <summary>The anchors GitHub gives the headings of <paramref name="markdown"/>.</summary>
    private static HashSet<string> Anchors(string markdown) =>
        Heading().Matches(FencedCode().Replace(markdown, ""))
            .Select(m => NotInAnchor().Replace(m.Groups["text"].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>docs/configuration.md's table: the key in each row's first cell, and the row's default cell.</summary>
    private static Dictionary<string, string> ConfigurationTable()
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(Root, "docs", "configuration.md")))
        {
            var cells = line.Split(" | ");
            if (line.StartsWith("| `", StringComparison.Ordinal) && cells.Length >= 3)
            {
                var key = cells[0][3..^1];
                Assert.True(rows.TryAdd(key, cells[1]), $"{key} has two rows in docs/configuration.md");
            }
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    private static IEnumerable<string> ExampleSettings()
    {
        using var document = JsonDocument.Parse(Read("local.settings.example.json"));
        return [.. document.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name.Replace("__", ":", StringComparison.Ordinal))];
    }

    /// <summary>
    /// Every setting an options class binds (a class with a <c>Section</c> constant, as in
    /// <c>FunctionsConfigurationTests</c>), as <c>Section:Property</c> (lists as <c>:0</c>, maps by name as <c>:&lt;name&gt;</c>),
    /// with the default a new instance holds when it is a plain value.
    /// </summary>
    private static IEnumerable<(string Key, string? Default)> OptionsSettings()
    {
        foreach (var type in Assemblies.SelectMany(name => Assembly.Load(name).GetTypes()))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } section)
            {
                foreach (var setting in Settings((string)section.GetRawConstantValue()!, type, Activator.CreateInstance(type)))
                {
                    yield return setting;
                }
            }
        }
    }

    private static IEnumerable<(string Key, string? Default)> Settings(string prefix, Type type, object? instance)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var key = $"{prefix}:{property.Name}";
            var value = instance is null ? null : property.GetValue(instance);
            if (propertyType.IsPrimitive || propertyType.IsEnum || propertyType == typeof(string) || propertyType == typeof(Uri) || propertyType == typeof(TimeSpan))
            {
                yield return (key, Format(value));
            }
            else if (propertyType.IsAssignableTo(typeof(IEnumerable<KeyValuePair<string, string>>)))
            {
                yield return (key + ":<name>", null);
            }
            else if (propertyType.IsAssignableTo(typeof(IEnumerable<string>)))
            {
                yield return (key + ":0", null);
            }
            else
            {
                foreach (var nested in Settings(key, propertyType, value))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>A default as the configuration page writes it; null when there is none to check (unset or empty).</summary>
    private static string? Format(object? value) => value switch
    {
        null or "" => null,
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        Uri uri => uri.OriginalString,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex("`[^`\n]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex("^#{1,6} (?<text>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N} _-]")]
    private static partial Regex NotInAnchor();
}
