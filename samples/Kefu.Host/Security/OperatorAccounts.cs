using System.Text.Json;
using Kefu.Storage;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Host.Security;

/// <summary>
/// The organisation's operator accounts (multi-tenant administration, E17 3), above every tenant. Kept as
/// configuration documents of tenant 0 (kind <c>host.operators</c>), hashed with ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, 100,000 iterations, format v3), which also rehashes
/// older formats on the next login. Agents' passwords stay in Core (its own PBKDF2 hash, checked by
/// <see cref="IKefuDirectory.AuthenticateAsync"/>), so the tenant's commit log remains the one source of truth.
/// </summary>
public sealed class OperatorAccounts(IConfigurationDocumentStore documents, TimeProvider time)
{
    private const string Kind = "host.operators";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly PasswordHasher<OperatorAccount> _hasher = new();

    /// <summary>Creates or replaces an operator account.</summary>
    public async ValueTask SetAsync(string account, string password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(account) || account.Length > 100)
        {
            throw new KefuValidationException("Account", "1–100 characters");
        }

        if (password is null || password.Length < 8 || password.Length > 128)
        {
            throw new KefuValidationException("Password", "8–128 characters");
        }

        var user = new OperatorAccount(account, string.Empty);
        user = user with { PasswordHash = _hasher.HashPassword(user, password) };
        var current = await documents.GetAsync(0, Kind, account, cancellationToken).ConfigureAwait(false);
        await documents.PutAsync(0, Kind, account, JsonSerializer.Serialize(user, Json), current?.Version ?? 0, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether an account and password match.</summary>
    public async ValueTask<bool> VerifyAsync(string account, string password, CancellationToken cancellationToken = default)
    {
        var doc = await documents.GetAsync(0, Kind, account, cancellationToken).ConfigureAwait(false);
        if (doc is null)
        {
            // Spend the same time as a real check so that unknown accounts cannot be told apart.
            _hasher.VerifyHashedPassword(new OperatorAccount(account, string.Empty), Dummy, password);
            return false;
        }

        var user = JsonSerializer.Deserialize<OperatorAccount>(doc.Content, Json)!;
        var result = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await SetAsync(account, password, cancellationToken).ConfigureAwait(false);
        }

        return result is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;
    }

    private static readonly string Dummy = new PasswordHasher<OperatorAccount>().HashPassword(new OperatorAccount("-", string.Empty), "not-a-password");

    /// <summary>An operator account as stored.</summary>
    /// <param name="Account">The sign-in name.</param>
    /// <param name="PasswordHash">Identity's v3 hash.</param>
    public sealed record OperatorAccount(string Account, string PasswordHash);
}
