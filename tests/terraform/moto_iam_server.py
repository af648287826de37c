#!/usr/bin/env python3
"""moto_server whose enforcing mode evaluates IAM policies on the real resource for DynamoDB,
SNS and CloudWatch, as AWS does.

moto 5 authorises every non-S3 action against the resource "*" and without condition keys,
and names CloudWatch actions after its signing name ("monitoring:PutMetricData"), so a policy
scoped to one table, one topic or one namespace (what terraform/policies grant) would be
refused whatever it says. This launcher changes only that evaluation: the resource is the
table named in the DynamoDB request (TableName), the topic named in the SNS request
(TopicArn), and for CloudWatch the condition key cloudwatch:namespace carries the request's
Namespace; signature checks and policy evaluation remain moto's own (IAMPolicy).

usage: python3 moto_iam_server.py -H 127.0.0.1 -p PORT      (moto_server's arguments)
"""

import json
import sys
import urllib.parse

from moto.core import authorization
from moto.iam import access_control as ac

SERVICE_NAMES = {"monitoring": "cloudwatch"}  # signing name -> IAM service prefix


def _param(data, body, name):
    v = (data or {}).get(name)
    if isinstance(v, list):
        v = v[0] if v else None
    if v is None and body:
        try:
            text = body.decode()
        except (UnicodeDecodeError, AttributeError):
            return None
        try:
            doc = json.loads(text)  # JSON protocols
            v = doc.get(name) if isinstance(doc, dict) else None
        except ValueError:
            v = urllib.parse.parse_qs(text).get(name, [None])[0]  # query protocol
    return v


class ResourceIAMRequest(ac.IAMRequest):
    """IAMRequest with the real resource ARN and condition keys of the request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        svc, _, op = self._action.partition(":")
        self._action = f"{SERVICE_NAMES.get(svc, svc)}:{op}"

    def _resource_and_conditions(self, resource):
        svc = self._action.split(":", 1)[0]
        partition = "aws-cn" if self._region.startswith("cn-") else "aws"
        if svc == "dynamodb":
            try:
                table = json.loads(self._body or b"{}").get("TableName")
            except ValueError:
                table = None
            if table:
                return f"arn:{partition}:dynamodb:{self._region}:{self.account_id}:table/{table}", {}
        if svc == "sns":
            arn = _param(self._data, self._body, "TopicArn")
            if arn:
                return arn, {}
        if svc == "cloudwatch":
            # An unreadable namespace must not pass a namespace condition: "" never equals one.
            return resource, {"cloudwatch:namespace": _param(self._data, self._body, "Namespace") or ""}
        return resource, {}

    def check_action_permitted(self, resource):
        resource, conditions = self._resource_and_conditions(resource)
        permitted = False
        for policy in self._access_key.collect_policies():
            result = ac.IAMPolicy(policy).is_action_permitted(
                self._action, resource, incoming_condition_values=conditions)
            if result == ac.PermissionResult.DENIED:
                self._raise_access_denied()
            if result == ac.PermissionResult.PERMITTED:
                permitted = True
        if not permitted:
            self._raise_access_denied()


def _normal_action(self, resource="*"):
    self._authenticate_and_authorize_action(ResourceIAMRequest, resource)


authorization.ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = _normal_action

if __name__ == "__main__":
    from moto.server import main
    sys.exit(main(sys.argv[1:]))
