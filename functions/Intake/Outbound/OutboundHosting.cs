using Azure.Data.Tables;
using Intake.Storage;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Outbound;

public static class OutboundHosting
{
    /// <summary>
    /// The <see cref="OutboundLog"/> every message out is recorded in, and the <see cref="ReplyRouter"/> over every
    /// channel's <see cref="IReplySender"/> (each channel registers its own).
    /// </summary>
    public static IHostApplicationBuilder AddOutbound(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(sp => new OutboundLog(
            sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<TicketStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        builder.Services.AddSingleton<ReplyRouter>();
        return builder;
    }
}
