using System.Text.Json.Serialization;

namespace Tuntas.Dci;

/// <summary>
/// The DCI message envelope and the parts of it Tuntas sends (DCI Social Registry API v1.0.0, <c>social_api_v1.0.0.yaml</c>
/// of spdci/standards: <c>MsgCallbackHeader_V1.0.0</c>, <c>SearchResponse</c>, <c>Error</c>). Property names are the
/// standard's snake_case (<see cref="Json"/>); absent values are left out, never sent as empty strings (the standard's
/// enums do not allow "").
/// </summary>
public static class DciJson
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>Statuses of a message and of each request in it (<c>MsgCallbackHeader.status</c>).</summary>
public static class DciStatus
{
    public const string Received = "rcvd";
    public const string Pending = "pdng";
    public const string Succeeded = "succ";
    public const string Rejected = "rjct";
}

/// <summary>The standard's reason codes (<c>MsgHeaderStatusReasonCode</c>, <c>SearchStatusReasonCode</c>, <c>Error.code</c>).</summary>
public static class DciCodes
{
    // Message header (MsgHeaderStatusReasonCode).
    public const string VersionInvalid = "rjct.version.invalid";
    public const string MessageIdDuplicate = "rjct.message_id.duplicate";
    public const string MessageTsInvalid = "rjct.message_ts.invalid";
    public const string ActionInvalid = "rjct.action.invalid";
    public const string ActionNotSupported = "rjct.action.not_supported";
    public const string TotalCountInvalid = "rjct.total_count.invalid";
    public const string TotalCountLimitExceeded = "rjct.total_count.limit_exceeded";

    // One search request (SearchStatusReasonCode).
    public const string ReferenceIdInvalid = "rjct.reference_id.invalid";
    public const string ReferenceIdDuplicate = "rjct.reference_id.duplicate";
    public const string TimestampInvalid = "rjct.timestamp.invalid";
    public const string SearchCriteriaInvalid = "rjct.search_criteria.invalid";
    public const string FilterInvalid = "rjct.filter.invalid";
    public const string SortInvalid = "rjct.sort.invalid";
    public const string PaginationInvalid = "rjct.pagination.invalid";

    // HTTP layer (Error.code in HttpErrorResponse).
    public const string RequestBad = "err.request.bad";
    public const string Unauthorized = "err.request.unauthorized";
    public const string Forbidden = "err.request.forbidden";
    public const string EncryptionInvalid = "err.encryption.invalid";
    public const string SignatureMissing = "err.signature.missing";
    public const string SignatureInvalid = "err.signature.invalid";
    public const string SenderUriInvalid = "err.sender_uri.invalid";
    public const string RequestNotFound = "err.request.not_found";
}

/// <summary><c>MsgCallbackHeader_V1.0.0</c>.</summary>
public sealed record DciCallbackHeader(
    string Version, string MessageId, string MessageTs, string Action, string Status,
    string? StatusReasonCode, string? StatusReasonMessage, int TotalCount, int CompletedCount,
    string SenderId, string? ReceiverId, bool IsMsgEncrypted = false);

/// <summary>A response envelope: <c>signature</c> (absent: Tuntas does not sign yet), <c>header</c>, <c>message</c>.</summary>
public sealed record DciResponse<TMessage>(DciCallbackHeader Header, TMessage? Message, string? Signature = null);

/// <summary><c>SearchResponse</c>.</summary>
public sealed record DciSearchResponse(string TransactionId, string CorrelationId, IReadOnlyList<DciSearchResult> SearchResponse);

/// <summary>One item of <c>SearchResponse.search_response</c>.</summary>
public sealed record DciSearchResult(
    string ReferenceId, string Timestamp, string Status, string? StatusReasonCode, string? StatusReasonMessage,
    DciSearchData? Data, DciPagination? Pagination, string? Locale);

public sealed record DciSearchData(string Version, string RegType, string RegRecordType, IReadOnlyList<object> RegRecords);

public sealed record DciPagination(int PageSize, int PageNumber, int TotalCount);

/// <summary>The HTTP layer's error body (<c>HttpErrorResponse</c>): <c>{"errors": [{"code", "message"}]}</c>.</summary>
public sealed record DciErrorResponse(IReadOnlyList<DciError> Errors)
{
    public static DciErrorResponse Of(string code, string message) => new([new DciError(code, message)]);
}

public sealed record DciError(string Code, string Message);
