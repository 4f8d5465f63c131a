using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Hosting;

/// <summary>
/// Runs a host to its exit code, so that a supervisor (systemd, a container runtime, App Service) can tell a stop from a
/// failure. The settings are checked before anything starts: one that is missing or unsafe ends the process with
/// <see cref="ConfigurationError"/> and one line on stderr naming what to set (no stack trace: nothing is wrong with the
/// code). A background service that brings the host down ends it with <see cref="ServiceFailed"/> (the host has logged
/// the exception); the host stopping on request is 0.
/// </summary>
public static partial class IntakeRun
{
    /// <summary>EX_CONFIG of sysexits.h: a setting is missing or wrong.</summary>
    public const int ConfigurationError = 78;

    /// <summary>EX_SOFTWARE of sysexits.h: a background service failed and stopped the host.</summary>
    public const int ServiceFailed = 70;

    public static async Task<int> RunIntakeAsync(this IHost host, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        error ??= Console.Error;
        if (ConfigurationProblem(host.Services) is { } problem)
        {
            await error.WriteLineAsync(problem).ConfigureAwait(false);
            return ConfigurationError;
        }

        // Taken before the run: the host disposes its services when it stops, and the tasks are what tell a crash.
        var background = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        await host.RunAsync().ConfigureAwait(false);
        if (background.FirstOrDefault(service => service.ExecuteTask is { IsFaulted: true }) is { } failed)
        {
            var reason = failed.ExecuteTask!.Exception!.InnerExceptions[0].Message;
            await error.WriteLineAsync($"Intake stopped: {failed.GetType().Name} failed: {OneLine(reason)}").ConfigureAwait(false);
            return ServiceFailed;
        }

        return 0;
    }

    /// <summary>
    /// Every settings problem as one line, or null: what <c>ValidateOnStart</c> would find when the host starts (bound
    /// values that do not convert, data annotations, <see cref="IValidateOptions{TOptions}"/>), found before it starts.
    /// </summary>
    internal static string? ConfigurationProblem(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException or InvalidOperationException)
        {
            var messages = (ex is AggregateException aggregate ? aggregate.InnerExceptions : [ex])
                .SelectMany(e => e is OptionsValidationException validation ? validation.Failures : [e.Message]);
            return "Intake cannot start: " + OneLine(string.Join(" ", messages.Distinct(StringComparer.Ordinal).Select(WithoutValue)));
        }
    }

    /// <summary>The binder quotes the value it could not convert; a line that goes to logs names the setting only.</summary>
    private static string WithoutValue(string message) => QuotedValue().Replace(message, "value at '");

    [GeneratedRegex("value '.*?' at '", RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex QuotedValue();

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
