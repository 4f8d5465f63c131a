using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Intake.Tests.Functions;

/// <summary>
/// <c>functions/Intake.Functions</c> cannot be built here (its packages are not on the feed), so it is compiled with Roslyn
/// against the real <c>functions/Intake</c> and everything the tests reference, with the missing packages' surface declared
/// in <c>Stubs/MissingPackages.cs</c>. A delegation to a handler whose signature changed fails here, not in Azure.
/// </summary>
public sealed class FunctionsCompileTests
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => MetadataReference.CreateFromFile(path)),
    ]);

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview), path);

    private static IReadOnlyList<Diagnostic> Errors(IEnumerable<SyntaxTree> sources)
    {
        var stubs = Path.Combine(AppContext.BaseDirectory, "Functions", "Stubs", "MissingPackages.cs");
        var usings = string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n"));
        var compilation = CSharpCompilation.Create(
            "Intake.Functions",
            [.. sources, Parse(File.ReadAllText(stubs), stubs), Parse(usings, "ImplicitUsings.g.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        return [.. compilation.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error)];
    }

    [Fact]
    public void The_functions_project_type_checks_against_the_library()
    {
        var errors = Errors(FunctionsSource.Trees);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void A_trigger_that_calls_a_handler_with_the_wrong_arguments_fails_to_type_check()
    {
        // The agent trigger as it would be if TicketEndpoints.GetAsync lost a parameter the server binds.
        var wrong = FunctionsSource.Trees
            .Select(tree => tree.FilePath.EndsWith("AgentFunctions.cs", StringComparison.Ordinal)
                ? Parse(tree.GetText(TestContext.Current.CancellationToken).ToString().Replace("TicketEndpoints.GetAsync(id, req.HttpContext, agents, store,", "TicketEndpoints.GetAsync(id, req.HttpContext, store,", StringComparison.Ordinal), tree.FilePath)
                : tree)
            .ToList();

        var errors = Errors(wrong);

        Assert.Contains(errors, e => e.Location.SourceTree?.FilePath.EndsWith("AgentFunctions.cs", StringComparison.Ordinal) == true);
    }
}
