using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Outbound;

public static class OutboundHosting
{
    /// <summary>The <see cref="ReplyRouter"/> over every channel's <see cref="IReplySender"/> (each channel registers its own).</summary>
    public static IHostApplicationBuilder AddOutbound(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ReplyRouter>();
        return builder;
    }
}
