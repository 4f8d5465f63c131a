using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Intake.Tests.Architecture;

/// <summary>One name in <paramref name="File"/>, of folder <paramref name="From"/>, that resolves to <paramref name="Type"/> of folder <paramref name="To"/>.</summary>
internal sealed record FolderReference(string From, string To, string File, string Type)
{
    public override string ToString() => $"{From} -> {To}: {File} uses {Type}";
}

/// <summary>
/// Which folder of <c>functions/Intake</c> uses which, read from the source: every file parsed with Roslyn, one
/// compilation over all of them, and each name in a file resolved with the semantic model to the type it names. A folder
/// is the namespace's second part (<c>Intake.Tickets.Text</c> is <c>Tickets</c>), a channel's the third as well
/// (<c>Intake.Channels.Email</c> is <c>Channels/Email</c>). A name counts against the type that declares what it names:
/// the type itself, a member's type, an extension method's static class, a nested type's outermost type; names in
/// <c>using</c> directives and documentation comments do not count. The source generators do not run, so what they
/// would add (logging bodies, JSON contexts) is missing: those errors are expected, and a name that binds only
/// tentatively still counts by its candidate. Built once, on first use, for every test that reads it.
/// </summary>
internal sealed class LibraryDependencies
{
    private static readonly Lazy<LibraryDependencies> Scanned = new(Scan);

    private LibraryDependencies(IReadOnlySet<string> folders, IReadOnlyList<FolderReference> references)
    {
        Folders = folders;
        References = references;
    }

    public static LibraryDependencies Current => Scanned.Value;

    /// <summary>Every folder that holds source.</summary>
    public IReadOnlySet<string> Folders { get; }

    /// <summary>Every reference from one folder to another, each (file, type) once, in order.</summary>
    public IReadOnlyList<FolderReference> References { get; }

    /// <summary><c>Channels/Email</c> is part of <c>Channels</c>.</summary>
    public static string TopLevel(string folder) => folder.Split('/')[0];

    /// <summary>The folder of a namespace of the library, or null for one outside it.</summary>
    public static string? FolderOf(string ns)
    {
        var parts = ns.Split('.');
        return parts switch
        {
            ["Intake", "Channels", var channel, ..] => $"Channels/{channel}",
            ["Intake", var folder, ..] => folder,
            _ => null,
        };
    }

    /// <summary>Each folder and the folders it uses, one line each: what a failing test shows.</summary>
    public string EdgeList(Func<string, string> folder)
    {
        var lines = References
            .GroupBy(r => folder(r.From), StringComparer.Ordinal)
            .Select(g => (From: g.Key, To: g.Select(r => folder(r.To)).Where(to => to != g.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()))
            .Where(edge => edge.To.Count > 0)
            .OrderBy(edge => edge.From, StringComparer.Ordinal)
            .Select(edge => $"  {edge.From} -> {string.Join(", ", edge.To)}");
        return string.Join(Environment.NewLine, lines);
    }

    private static LibraryDependencies Scan()
    {
        var root = FindRoot(AppContext.BaseDirectory);
        var library = Path.Combine(root, "functions", "Intake");
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = Directory.GetFiles(library, "*.cs", SearchOption.AllDirectories)
            .Select(path => (Path: path, Relative: Path.GetRelativePath(library, path).Replace(Path.DirectorySeparatorChar, '/')))
            .Where(file => !file.Relative.StartsWith("obj/", StringComparison.Ordinal) && !file.Relative.StartsWith("bin/", StringComparison.Ordinal))
            .Order()
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file.Path), parse, file.Relative))
            .ToList();
        var compilation = CSharpCompilation.Create(
            "Intake",
            [.. trees, CSharpSyntaxTree.ParseText(GlobalUsings(library), parse, "GlobalUsings.cs")],
            MetadataReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var folders = new SortedSet<string>(StringComparer.Ordinal);
        var references = new SortedSet<FolderReference>(Comparer<FolderReference>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString())));
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                if (FolderOf(Namespace(name)) is not { } from)
                {
                    continue;
                }

                folders.Add(from);
                if (name.Ancestors().Any(node => node is UsingDirectiveSyntax) || DeclaringType(model.GetSymbolInfo(name)) is not { } type
                    || !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly)
                    || FolderOf(type.ContainingNamespace.ToDisplayString()) is not { } to || to == from)
                {
                    continue;
                }

                references.Add(new FolderReference(from, to, tree.FilePath, type.Name));
            }
        }

        return new LibraryDependencies(folders, [.. references]);
    }

    /// <summary>The type a name counts against: see the class's summary.</summary>
    private static INamedTypeSymbol? DeclaringType(SymbolInfo info)
    {
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        var type = symbol switch
        {
            IMethodSymbol { ReducedFrom: { } extension } => extension.ContainingType,
            INamedTypeSymbol named => named,
            null => null,
            _ => symbol.ContainingType,
        };
        while (type?.ContainingType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    /// <summary>The full namespace a node is declared in (block namespaces may nest).</summary>
    private static string Namespace(SyntaxNode node) =>
        string.Join('.', node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Reverse().Select(ns => ns.Name.ToString()));

    /// <summary>
    /// What <c>ImplicitUsings</c> gives a <c>Microsoft.NET.Sdk</c> project (the build writes it to obj/, which is not read),
    /// and any <c>&lt;Using&gt;</c> the project adds.
    /// </summary>
    private static string GlobalUsings(string library)
    {
        string[] implicitUsings = ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];
        var project = XDocument.Load(Path.Combine(library, "Intake.csproj"));
        var added = project.Descendants("Using").Select(item => (string?)item.Attribute("Include")).OfType<string>();
        return string.Concat(implicitUsings.Concat(added).Select(ns => $"global using {ns};{Environment.NewLine}"));
    }

    /// <summary>The framework the tests run on and the assemblies next to them, but not Intake's own (the source stands for them).</summary>
    private static List<MetadataReference> MetadataReferences()
    {
        var framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return
        [
            .. framework.Concat(local)
                .Where(path => Path.GetFileName(path) is var file && file != "Intake.dll" && !file.StartsWith("Intake.", StringComparison.Ordinal))
                .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
                .Where(IsAssembly)
                .Select(path => MetadataReference.CreateFromFile(path)),
        ];
    }

    /// <summary>Native libraries sit next to the tests too.</summary>
    private static bool IsAssembly(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            return reader.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

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
}
