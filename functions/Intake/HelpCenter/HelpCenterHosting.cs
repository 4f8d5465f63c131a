using Azure.Data.Tables;
using Intake.Storage;
using Intake.Tickets;
using Intake.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.HelpCenter;

public static partial class HelpCenterHosting
{
    /// <summary>The example catalogue, built into the library: what Development offers when no catalogue is named.</summary>
    public const string ExampleResource = "Intake.HelpCenter.help-articles.json";

    /// <summary>
    /// <see cref="HelpCenterOptions"/>, the catalogue (read and checked once at start-up: a catalogue with errors stops the
    /// host, naming each), and the deflection figures (<see cref="DeflectionStore"/>).
    /// </summary>
    public static IHostApplicationBuilder AddHelpCenter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HelpCenterOptions>().BindConfiguration(HelpCenterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => Load(
            sp.GetRequiredService<IOptions<HelpCenterOptions>>().Value, sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<ILogger<HelpCatalogue>>()));
        builder.Services.AddSingleton(sp => new DeflectionStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        return builder;
    }

    /// <summary>
    /// <c>GET /api/metrics/deflection</c> behind an agent key (<paramref name="api"/> is the <c>/api</c> group), and the
    /// solved link's page at <c>/support/solved/{reference}</c> (<paramref name="pages"/>, the root).
    /// </summary>
    public static void MapHelpCenter(this IEndpointRouteBuilder api, IEndpointRouteBuilder pages)
    {
        api.MapGroup("/metrics").AddEndpointFilter<ApiKeyFilter>().MapGet("/deflection", DeflectionEndpoints.GetAsync);
        pages.MapGet(StatusLinks.SolvedPath + "{reference}", SolvedEndpoints.GetAsync);

        // The token in the address is the authority, as for the verify link: nothing is read from the body.
        pages.MapPost(StatusLinks.SolvedPath + "{reference}", SolvedEndpoints.PostAsync).DisableAntiforgery();
    }

    private static HelpCatalogue Load(HelpCenterOptions options, IHostEnvironment environment, ILogger logger)
    {
        string json;
        string source;
        if (options.CatalogPath is { Length: > 0 } path)
        {
            source = Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
            json = File.ReadAllText(source);
        }
        else if (environment.IsDevelopment())
        {
            source = "the example catalogue";
            using var stream = typeof(HelpCatalogue).Assembly.GetManifestResourceStream(ExampleResource)
                ?? throw new InvalidOperationException($"{ExampleResource} is missing from the library.");
            using var reader = new StreamReader(stream);
            json = reader.ReadToEnd();
        }
        else
        {
            LogNoCatalogue(logger);
            return HelpCatalogue.Empty;
        }

        var (catalogue, errors) = HelpCatalogue.Parse(json, options.MaxArticles);
        if (catalogue is null)
        {
            throw new InvalidOperationException($"{HelpCenterOptions.Section}: {source} has errors: {string.Join("; ", errors)}");
        }

        LogCatalogue(logger, catalogue.Articles.Count, source);
        return catalogue;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No help-center catalogue (HelpCenter:CatalogPath): acknowledgements offer no articles")]
    private static partial void LogNoCatalogue(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Help center: {Count} articles from {Source}")]
    private static partial void LogCatalogue(ILogger logger, int count, string source);
}
