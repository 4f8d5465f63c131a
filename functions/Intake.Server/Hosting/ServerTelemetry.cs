using Intake.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Intake.Server.Hosting;

/// <summary>
/// OpenTelemetry for the server: Intake's own traces and metrics (<see cref="IntakeTelemetry"/>) and the incoming HTTP
/// requests, sent over OTLP to the collector <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names (with the other standard
/// <c>OTEL_*</c> settings). Unset, nothing is exported; <c>dotnet-counters</c> still reads the meter. Outgoing HTTP is not
/// traced: a Telegram request's path holds the bot token. An incoming request's query is left out (a survey or status
/// link's token is there).
/// </summary>
internal static class ServerTelemetry
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IHostApplicationBuilder AddServerTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointSetting]))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? "intake"))
            .WithTracing(tracing => tracing
                .AddSource(IntakeTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null)))
            .WithMetrics(metrics => metrics
                .AddMeter(IntakeTelemetry.Name)
                .AddAspNetCoreInstrumentation())
            .UseOtlpExporter();
        return builder;
    }
}
