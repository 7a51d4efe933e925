using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;

namespace Latchkey.Server.Management.Users.Search;

/// <summary>Adds <see cref="UserSearchTranslatorPlugin"/> to EF Core's services (<see cref="UserSearchFunctions.UseUserSearchFunctions"/>).</summary>
internal sealed class UserSearchOptionsExtension(bool postgres) : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public bool Postgres => postgres;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services) =>
        services.AddScoped<IMethodCallTranslatorPlugin>(provider => new UserSearchTranslatorPlugin(provider.GetRequiredService<ISqlExpressionFactory>(), postgres));

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(UserSearchOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "UserSearchFunctions ";

        public override int GetServiceProviderHashCode() => extension.Postgres.GetHashCode();

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) =>
            other is ExtensionInfo info && info.Extension is UserSearchOptionsExtension { Postgres: var p } && p == extension.Postgres;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["Latchkey:UserSearchFunctions:Postgres"] = extension.Postgres.ToString();
    }
}
