using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tuntas.Web;

/// <summary>/health: healthy when the configured database answers.</summary>
public sealed class DatabaseHealthCheck(TuntasDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("database unreachable");
}
