using Intake.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Intake.Hosting;

/// <summary>Turns a storage or queue outage under an endpoint into <see cref="StorageOutage.Problem"/>, logged once.</summary>
public sealed partial class StorageOutageFilter(ILogger<StorageOutageFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageOutage.Is(ex) && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogOutage(logger, context.HttpContext.Request.Path, ex);
            return StorageOutage.Problem(context.HttpContext.Response);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage or the queue did not answer under {Path}; answered 503")]
    private static partial void LogOutage(ILogger logger, PathString path, Exception exception);
}
