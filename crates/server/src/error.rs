use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rollout_api::ErrorBody;

/// Every error the API returns, as JSON `{message}` with its status.
#[derive(Debug)]
pub enum ApiError {
    NotFound(String),
    BadRequest(String),
    Conflict(String),
    Unauthorized(String),
    Forbidden(String),
    UnsupportedMediaType(String),
    PayloadTooLarge(String),
    Unprocessable(ErrorBody),
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, message(m)),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, message(m)),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, message(m)),
            ApiError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, message(m)),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, message(m)),
            ApiError::UnsupportedMediaType(m) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, message(m)),
            ApiError::PayloadTooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, message(m)),
            ApiError::Unprocessable(body) => (StatusCode::UNPROCESSABLE_ENTITY, body),
            ApiError::Internal(m) => {
                tracing::error!("internal error: {m}");
                (StatusCode::INTERNAL_SERVER_ERROR, message(m))
            }
        };
        (status, Json(body)).into_response()
    }
}

fn message(message: String) -> ErrorBody {
    ErrorBody {
        message,
        ..Default::default()
    }
}

impl From<crate::source::SourceError> for ApiError {
    fn from(e: crate::source::SourceError) -> ApiError {
        use crate::source::SourceError as E;
        match e {
            E::NotFound(_) => ApiError::NotFound(e.to_string()),
            E::ReadOnly(_) | E::Refused(_) | E::NotSimulated(_) => {
                ApiError::Conflict(e.to_string())
            }
            E::Forbidden(m) => ApiError::Forbidden(m),
            E::Persist(_) => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<crate::core::PersistError> for ApiError {
    fn from(e: crate::core::PersistError) -> ApiError {
        ApiError::Internal(format!("the change was made but not saved: {}", e.0))
    }
}
