using System.Collections.Concurrent;
using Latchkey.Server.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// Counts the <see cref="LatchkeyDbContext"/> instances built for each tagged HTTP request (the header
/// <see cref="DatabaseCommandCounter.HeaderName"/>): <see cref="Register{TContext}"/> replaces the context's registration
/// with one that counts, then builds the provider's context as EF Core's own registration would.
/// </summary>
public sealed class DbContextCounter(IHttpContextAccessor http)
{
    private readonly ConcurrentDictionary<string, int> _built = new(StringComparer.Ordinal);

    public int BuiltFor(string tag) => _built.GetValueOrDefault(tag);

    public static void Register<TContext>(IServiceCollection services)
        where TContext : LatchkeyDbContext
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<DbContextCounter>();
        services.Replace(ServiceDescriptor.Scoped<LatchkeyDbContext>(provider =>
        {
            provider.GetRequiredService<DbContextCounter>().Record();
            return ActivatorUtilities.CreateInstance<TContext>(provider);
        }));
    }

    private void Record()
    {
        var tag = http.HttpContext?.Request.Headers[DatabaseCommandCounter.HeaderName].ToString();
        if (!string.IsNullOrEmpty(tag))
        {
            _built.AddOrUpdate(tag, 1, (_, count) => count + 1);
        }
    }
}
