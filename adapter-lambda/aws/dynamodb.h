/*
 * dynamodb.h — DynamoDB's JSON protocol on the signed request helper (request.h), and the
 * conversion between plain JSON and DynamoDB's typed attribute values.
 *
 * Every operation is POST / with X-Amz-Target: DynamoDB_20120810.<Operation> and an
 * application/x-amz-json-1.0 body; dynamodb_call() sends one and parses the answer. Errors
 * come back classified by the helper: ConditionalCheckFailedException (a condition
 * expression did not hold) and ResourceNotFoundException (no such table) are permanent,
 * throttling and 5xx transient.
 *
 * Thread-safety: as the client's: one thread at a time.
 */
#ifndef TK_LAMBDA_AWS_DYNAMODB_H
#define TK_LAMBDA_AWS_DYNAMODB_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "aws/request.h"

/** The signing name and endpoint prefix of DynamoDB, for aws_client_config.service. */
#define DYNAMODB_SERVICE "dynamodb"
/** The SDK id of DynamoDB's endpoint variable (AWS_ENDPOINT_URL_DYNAMODB). */
#define DYNAMODB_ENDPOINT_ID "DYNAMODB"

/**
 * One operation: @p operation ("PutItem", "UpdateItem", "GetItem", "Scan") with the request
 * object @p request (not consumed) on client @p c (service "dynamodb").
 * @param out  on AWS_OK receives the parsed response object (cJSON_Delete()); else NULL
 * @param e    filled on failure (may be NULL)
 * @return AWS_OK or the failure class (a response that is not JSON is AWS_ERR_PERMANENT)
 */
enum aws_status dynamodb_call(struct aws_client *c, const char *operation, const cJSON *request,
                              cJSON **out, struct aws_error *e);

/**
 * Plain JSON to a DynamoDB attribute value: string {"S"}, number {"N"} (as printed by
 * cJSON, integers exact up to 2^53), bool {"BOOL"}, null {"NULL":true}, array {"L"},
 * object {"M"}.
 * @return a new item (cJSON_Delete()), or NULL when memory runs out
 */
cJSON *dynamodb_marshal(const cJSON *plain);

/**
 * A DynamoDB attribute value (S, N, BOOL, NULL, L, M, SS, NS) to plain JSON; N becomes a
 * number; binary and unknown types become null.
 * @return a new item (cJSON_Delete()), or NULL when memory runs out or @p av is not an object
 */
cJSON *dynamodb_unmarshal(const cJSON *av);

/**
 * An item (name -> attribute value) to a plain JSON object, or the reverse for
 * dynamodb_marshal_item().
 * @return a new object (cJSON_Delete()), or NULL when memory runs out
 */
cJSON *dynamodb_unmarshal_item(const cJSON *item);

/** @copydoc dynamodb_unmarshal_item */
cJSON *dynamodb_marshal_item(const cJSON *plain);

#endif /* TK_LAMBDA_AWS_DYNAMODB_H */
