using Kefu.Storage;

namespace Kefu.Adapters.Tests.Conformance;

/// <summary>What every <see cref="IConfigurationDocumentStore"/> answers to the same calls.</summary>
public abstract class ConfigurationDocumentStoreConformance
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(8));

    private protected abstract IConfigurationDocumentStore Store { get; }

    [Fact]
    public async Task Get_WhenMissing_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(TestTenants.Next(), "routing.rules", "default"));
    }

    [Fact]
    public async Task Put_New_StoresVersionOne()
    {
        var tenant = TestTenants.Next();
        var stored = await Store.PutAsync(tenant, "routing.rules", "default", "{\"a\":1}", 0, Now);

        Assert.Equal(new ConfigurationDocument(tenant, "routing.rules", "default", 1, "{\"a\":1}", Now), stored);
        var read = await Store.GetAsync(tenant, "routing.rules", "default");
        Assert.Equal(stored, read);
        Assert.Equal(Now.Offset, read!.UpdatedAt.Offset);
        Assert.Equal(Now.Ticks, read.UpdatedAt.Ticks);
    }

    [Fact]
    public async Task Put_WithCurrentVersion_AddsOne()
    {
        var tenant = TestTenants.Next();
        await Store.PutAsync(tenant, "words", "blocked", "v1", 0, Now);
        var second = await Store.PutAsync(tenant, "words", "blocked", "v2", 1, Now.AddMinutes(1));

        Assert.Equal(2, second.Version);
        Assert.Equal(second, await Store.GetAsync(tenant, "words", "blocked"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task Put_WithStaleVersion_ThrowsConcurrencyAndWritesNothing(long expected)
    {
        var tenant = TestTenants.Next();
        var first = await Store.PutAsync(tenant, "words", "blocked", "v1", 0, Now);

        var error = await Assert.ThrowsAsync<KefuException>(() => Store.PutAsync(tenant, "words", "blocked", "v2", expected, Now).AsTask());

        Assert.Equal(KefuErrorKind.Concurrency, error.Kind);
        Assert.Equal(first, await Store.GetAsync(tenant, "words", "blocked"));
    }

    [Fact]
    public async Task Put_NewWithNonZeroVersion_ThrowsConcurrency()
    {
        var tenant = TestTenants.Next();
        var error = await Assert.ThrowsAsync<KefuException>(() => Store.PutAsync(tenant, "words", "new", "v1", 1, Now).AsTask());
        Assert.Equal(KefuErrorKind.Concurrency, error.Kind);
        Assert.Null(await Store.GetAsync(tenant, "words", "new"));
    }

    [Theory]
    [InlineData("", "key")]
    [InlineData("   ", "key")]
    [InlineData("kind", "")]
    public async Task Put_WithBlankKindOrKey_ThrowsValidation(string kind, string key)
    {
        var error = await Assert.ThrowsAsync<KefuValidationException>(() => Store.PutAsync(TestTenants.Next(), kind, key, "{}", 0, Now).AsTask());
        Assert.Equal(kind.Trim().Length == 0 ? "kind" : "key", error.Field);
    }

    [Fact]
    public async Task Put_WithTooLongKey_ThrowsValidation()
    {
        var error = await Assert.ThrowsAsync<KefuValidationException>(() => Store.PutAsync(TestTenants.Next(), "kind", new string('k', 201), "{}", 0, Now).AsTask());
        Assert.Equal("key", error.Field);
        await Store.PutAsync(TestTenants.Next(), new string('c', 100), new string('k', 200), "{}", 0, Now);
    }

    [Fact]
    public async Task Put_ConcurrentlyWithSameVersion_OnlyOneWins()
    {
        var tenant = TestTenants.Next();
        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.PutAsync(tenant, "robots", "r1", $"v{i}", 0, Now);
                return true;
            }
            catch (KefuException e) when (e.Kind == KefuErrorKind.Concurrency)
            {
                return false;
            }
        }));

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r);
        Assert.Equal(1, (await Store.GetAsync(tenant, "robots", "r1"))!.Version);
    }

    [Fact]
    public async Task List_ReturnsTheKindsDocumentsByOrdinalKey()
    {
        var tenant = TestTenants.Next();
        foreach (var key in new[] { "b", "B", "a", "é", "Z", "\uFF21", "\U0001F600" })
        {
            await Store.PutAsync(tenant, "reports", key, key, 0, Now);
        }

        await Store.PutAsync(tenant, "other", "a", "x", 0, Now);
        await Store.PutAsync(TestTenants.Next(), "reports", "c", "x", 0, Now);

        var list = await Store.ListAsync(tenant, "reports");

        Assert.Equal(new[] { "B", "Z", "a", "b", "é", "\U0001F600", "\uFF21" }, list.Select(d => d.Key));
        Assert.All(list, d => Assert.Equal("reports", d.Kind));
        Assert.All(list, d => Assert.Equal(tenant, d.TenantId));
    }

    [Fact]
    public async Task List_WhenNone_ReturnsEmpty()
    {
        Assert.Empty(await Store.ListAsync(TestTenants.Next(), "reports"));
    }

    [Fact]
    public async Task Delete_WhenMissing_ReturnsFalse()
    {
        Assert.False(await Store.DeleteAsync(TestTenants.Next(), "words", "none", 0));
    }

    [Fact]
    public async Task Delete_WithStaleVersion_ThrowsConcurrencyAndKeeps()
    {
        var tenant = TestTenants.Next();
        var stored = await Store.PutAsync(tenant, "words", "blocked", "v1", 0, Now);

        var error = await Assert.ThrowsAsync<KefuException>(() => Store.DeleteAsync(tenant, "words", "blocked", 2).AsTask());

        Assert.Equal(KefuErrorKind.Concurrency, error.Kind);
        Assert.Equal(stored, await Store.GetAsync(tenant, "words", "blocked"));
    }

    [Fact]
    public async Task Delete_WithCurrentVersion_RemovesAndANewDocumentStartsAtOne()
    {
        var tenant = TestTenants.Next();
        await Store.PutAsync(tenant, "words", "blocked", "v1", 0, Now);
        await Store.PutAsync(tenant, "words", "blocked", "v2", 1, Now);

        Assert.True(await Store.DeleteAsync(tenant, "words", "blocked", 2));
        Assert.Null(await Store.GetAsync(tenant, "words", "blocked"));
        Assert.Empty(await Store.ListAsync(tenant, "words"));
        Assert.Equal(1, (await Store.PutAsync(tenant, "words", "blocked", "v3", 0, Now)).Version);
    }

    [Fact]
    public async Task Documents_AreSeparatedByTenantAndKind()
    {
        var a = TestTenants.Next();
        var b = TestTenants.Next();
        await Store.PutAsync(a, "k1", "same", "a-k1", 0, Now);
        await Store.PutAsync(a, "k2", "same", "a-k2", 0, Now);
        await Store.PutAsync(b, "k1", "same", "b-k1", 0, Now);

        Assert.Equal("a-k1", (await Store.GetAsync(a, "k1", "same"))!.Content);
        Assert.Equal("a-k2", (await Store.GetAsync(a, "k2", "same"))!.Content);
        Assert.Equal("b-k1", (await Store.GetAsync(b, "k1", "same"))!.Content);
        Assert.Null(await Store.GetAsync(b, "k2", "same"));
    }
}
