using Microsoft.Extensions.DependencyInjection.Extensions;
using Tuntas.Notifications;

namespace Tuntas.Web.Notifications;

/// <summary>
/// Real notifications (docs/notifications.md): every message with a contact goes to the outbox in the request that
/// caused it, and <see cref="NotificationWorker"/> delivers it by e-mail (SMTP) or SMS/WhatsApp (HTTP gateway) as the
/// <c>Notifications</c> section configures, with retries. Replaces the log-only sender.
/// </summary>
public static class NotificationSetup
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        var options = NotificationOptions.FromConfiguration(configuration);
        services.AddSingleton(options);
        services.RemoveAll<INotificationSender>();
        services.AddScoped<INotificationSender, NotificationOutbox>();
        if (options.Smtp is { } smtp)
        {
            services.AddSingleton<IMessageChannel>(new SmtpMailChannel(smtp));
        }
        if (options.Gateway is { } gateway)
        {
            services.AddHttpClient(nameof(SmsGatewayChannel), c => c.Timeout = TimeSpan.FromSeconds(30));
            services.AddSingleton<IMessageChannel>(sp => new SmsGatewayChannel(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SmsGatewayChannel)), gateway));
        }
        services.AddScoped<DeliverNotifications>();
        services.AddScoped<ReadOutbox>();
        services.AddHostedService<NotificationWorker>();
        return services;
    }
}

/// <summary>Delivers the outbox (<see cref="DeliverNotifications"/>) every <c>Notifications:PollSeconds</c> (default 30), and once at start-up.</summary>
public sealed class NotificationWorker(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<NotificationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = int.TryParse(configuration["Notifications:PollSeconds"], System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 30;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<DeliverNotifications>().RunAsync(stoppingToken);
                if (outcome.Sent + outcome.Retrying + outcome.Failed > 0)
                {
                    logger.LogInformation("Notifications: {Sent} sent, {Retrying} to retry, {Failed} abandoned", outcome.Sent, outcome.Retrying, outcome.Failed);
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                // The database may not be migrated yet at the very first tick; the next tick tries again.
                logger.LogWarning(e, "Delivering notifications failed; retrying at the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
