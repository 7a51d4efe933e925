using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Persistence;

/// <summary>
/// The server runs on EF Core compiled models (<c>Persistence/CompiledModels/&lt;Provider&gt;</c>, docs/performance.md
/// finding 5) instead of building the model from <c>OnModelCreating</c> at every start. A compiled model that no longer
/// matches the model would be a silent bug, so this generates the compiled model in memory from <c>OnModelCreating</c>,
/// exactly as <c>scripts/ef-compiled-models.sh</c> does, and compares it with the committed files.
/// </summary>
public sealed partial class CompiledModelTests
{
    [Fact]
    public void CompiledModel_Sqlite_MatchesOnModelCreating() =>
        AssertCurrent(new SqliteDesignTimeFactory().CreateDbContext([]), "Sqlite");

    [Fact]
    public void CompiledModel_Postgres_MatchesOnModelCreating() =>
        AssertCurrent(new PostgresDesignTimeFactory().CreateDbContext([]), "Postgres");

    [Fact]
    public void ServerContext_Sqlite_RunsOnTheCompiledModel()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.IsType<Latchkey.Server.Persistence.CompiledModels.Sqlite.SqliteLatchkeyDbContextModel>(db.Model, exactMatch: false);
    }

    private static void AssertCurrent(DbContext context, string provider)
    {
        using (context)
        {
            var services = new ServiceCollection().AddEntityFrameworkDesignTimeServices().AddDbContextDesignTimeServices(context);
            ProviderDesignTimeServices(context).ConfigureDesignTimeServices(services);
            using var provided = services.BuildServiceProvider();
            var options = new CompiledModelCodeGenerationOptions
            {
                ContextType = context.GetType(),
                ModelNamespace = $"Latchkey.Server.Persistence.CompiledModels.{provider}",
                Language = "C#",
                UseNullableReferenceTypes = true,
            };
            var generated = provided.GetRequiredService<ICompiledModelCodeGeneratorSelector>().Select(options)
                .GenerateModel(context.GetService<IDesignTimeModel>().Model, options);

            var folder = Path.Combine(RepositoryRoot(), "src", "Latchkey.Server", "Persistence", "CompiledModels", provider);
            var stale = "run scripts/ef-compiled-models.sh (docs/architecture.md, \"Schema changes\")";
            Assert.True(Directory.Exists(folder), $"{folder} is missing: {stale}");
            Assert.Equal(
                generated.Select(f => f.Path).Order(StringComparer.Ordinal),
                Directory.GetFiles(folder, "*.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);
            foreach (var file in generated)
            {
                var committed = Comparable(File.ReadAllText(Path.Combine(folder, file.Path)));
                if (committed != Comparable(file.Code))
                {
                    // Written beside the temp folder so that the difference can be read (diff it with the committed file).
                    var generatedCopy = Path.Combine(Path.GetTempPath(), $"latchkey-compiled-{provider}-{file.Path}");
                    File.WriteAllText(generatedCopy, file.Code);
                    Assert.Fail($"{provider}/{file.Path} is stale ({generatedCopy} is what OnModelCreating gives): {stale}");
                }
            }
        }
    }

    /// <summary>The generated code less what differs at every generation (the model's random id) and line endings.</summary>
    private static string Comparable(string code) =>
        ModelId().Replace(code.ReplaceLineEndings("\n"), "modelId: new Guid()");

    [GeneratedRegex("""modelId: new Guid\("[0-9a-fA-F-]{36}"\)""")]
    private static partial Regex ModelId();

    /// <summary>The provider's design-time services, found as <c>dotnet ef</c> finds them: the provider assembly's attribute.</summary>
    private static IDesignTimeServices ProviderDesignTimeServices(DbContext context)
    {
        var assembly = Assembly.Load(new AssemblyName(context.GetService<IDatabaseProvider>().Name));
        var typeName = assembly.GetCustomAttribute<DesignTimeProviderServicesAttribute>()!.TypeName;
        return (IDesignTimeServices)Activator.CreateInstance(assembly.GetType(typeName, throwOnError: true)!)!;
    }

    private static string RepositoryRoot([CallerFilePath] string callerFile = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(callerFile)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Latchkey.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Latchkey.slnx not found above " + callerFile);
    }
}
