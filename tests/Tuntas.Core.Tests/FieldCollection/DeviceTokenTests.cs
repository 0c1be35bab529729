using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Core.Tests.Imports;
using Tuntas.FieldCollection;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Core.Tests.FieldCollection;

/// <summary>Device tokens: created for a visiting role, shown once, stored hashed, scoped like their user, revocable.</summary>
public sealed class DeviceTokenTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_token_speaks_for_its_user_with_the_users_scope_until_revoked(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await using var db = test.Database.CreateDb();
        db.Users.AddRange(
            new User { UserName = "pendamping.sari", DisplayName = "Sari", PasswordHash = "-", Role = Roles.Facilitator, CreatedAt = DateTime.UtcNow },
            new User { UserName = "mitra.a", DisplayName = "Mitra", PasswordHash = "-", Role = Roles.Partner, Organization = "PT A", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        var sari = await db.Users.SingleAsync(u => u.UserName == "pendamping.sari");
        db.UserVillages.Add(new UserVillage { UserId = sari.Id, KodeDesa = "33.14.01.2001", AssignedBy = "admin", AssignedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();

        var create = new CreateDeviceToken(db, _clock);
        Assert.Equal("DEVICE_USER", (await create.RunAsync(new("mitra.a", "HP", "admin", true), CancellationToken.None)).Problem!.Code);
        Assert.Equal("DEVICE_NOT_ALLOWED", (await create.RunAsync(new("pendamping.sari", "HP", "orang.lain", false), CancellationToken.None)).Problem!.Code);
        Assert.Equal("DEVICE_NAME", (await create.RunAsync(new("pendamping.sari", " ", "pendamping.sari", false), CancellationToken.None)).Problem!.Code);
        var created = await create.RunAsync(new("pendamping.sari", "HP Sari", "pendamping.sari", false), CancellationToken.None);
        Assert.Null(created.Problem);
        Assert.Equal(ApiKeys.Hash(created.Secret!), created.Token!.TokenHash);

        var authenticate = new AuthenticateDevice(db, _clock, new ResolveAccessScope(db, _clock));
        var (device, problem) = await authenticate.RunAsync(created.Secret, CancellationToken.None);
        Assert.Null(problem);
        Assert.Equal("pendamping.sari", device!.User.UserName);
        Assert.Equal(["33.14.01.2001"], device.Scope.Regions);
        Assert.Equal("TOKEN_UNKNOWN", (await authenticate.RunAsync("tnd_" + new string('0', 48), CancellationToken.None)).Problem!.Code);
        Assert.Equal("TOKEN_UNKNOWN", (await authenticate.RunAsync(null, CancellationToken.None)).Problem!.Code);

        Assert.Equal("TOKEN_NOT_FOUND", (await new RevokeDeviceToken(db, _clock).RunAsync(new(created.Token.Id, "orang.lain", false), CancellationToken.None))!.Code);
        Assert.Null(await new RevokeDeviceToken(db, _clock).RunAsync(new(created.Token.Id, "pendamping.sari", false), CancellationToken.None));
        Assert.Equal("TOKEN_REVOKED", (await authenticate.RunAsync(created.Secret, CancellationToken.None)).Problem!.Code);

        var second = await create.RunAsync(new("pendamping.sari", "HP baru", "admin", true), CancellationToken.None);
        await db.Users.Where(u => u.Id == sari.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Disabled, true));
        Assert.Equal("USER_DISABLED", (await authenticate.RunAsync(second.Secret, CancellationToken.None)).Problem!.Code);
    }
}
