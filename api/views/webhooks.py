"""Webhook subscriptions for partners (issue 21.4, ``webhooks:manage``): subscribe an HTTPS
address to events, list and end subscriptions, and read every delivery with its attempts.
The secret that signs the deliveries is in the answer to the subscribing call only."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api.base import PartnerView
from api.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from api.permissions import partner_of
from api.scopes import WEBHOOKS_MANAGE
from api.serializers import problems
from api.webhooks import WebhookRefused, webhook_subscribe, webhook_unsubscribe

DELIVERIES_SHOWN = 100


class SubscriptionIn(serializers.Serializer):
    url = serializers.URLField(max_length=500, help_text="HTTPS, reachable from the internet.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1
    )


class SubscriptionOut(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class SubscriptionCreatedOut(SubscriptionOut):
    secret = serializers.CharField(
        help_text="Signs every delivery (Standard Webhooks). Shown this once: keep it."
    )


class AttemptOut(serializers.Serializer):
    at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    duration_ms = serializers.IntegerField()


class DeliveryOut(serializers.Serializer):
    id = serializers.CharField(help_text="The webhook-id header of every attempt.")
    event = serializers.ChoiceField(choices=WebhookEvent.choices)
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    payload = serializers.DictField()
    attempts = AttemptOut(many=True)


class DeliveriesOut(serializers.Serializer):
    deliveries = DeliveryOut(many=True)


def _subscription_data(subscription: WebhookSubscription) -> dict:
    return {
        "id": subscription.public_id,
        "url": subscription.url,
        "events": subscription.events,
        "active": subscription.active,
        "created_at": subscription.created_at,
    }


def _own(request, public_id) -> WebhookSubscription:
    subscription = WebhookSubscription.objects.filter(
        public_id=public_id, partner=partner_of(request)
    ).first()
    if subscription is None:
        raise NotFound()
    return subscription


class SubscriptionsView(PartnerView):
    scopes = {"GET": WEBHOOKS_MANAGE, "POST": WEBHOOKS_MANAGE}

    @extend_schema(
        operation_id="webhooks_list",
        summary="The partner's webhook subscriptions",
        responses={200: SubscriptionOut(many=True), **problems(401, 403, 429)},
    )
    def get(self, request):
        self.target = "webhooks"
        subscriptions = WebhookSubscription.objects.filter(partner=partner_of(request))
        return Response(
            SubscriptionOut(
                [_subscription_data(s) for s in subscriptions.order_by("pk")], many=True
            ).data
        )

    @extend_schema(
        operation_id="webhooks_subscribe",
        summary="Subscribe an HTTPS address to events on the files the partner may read",
        request=SubscriptionIn,
        responses={201: SubscriptionCreatedOut, **problems(400, 401, 403, 429)},
    )
    def post(self, request):
        given = SubscriptionIn(data=request.data)
        if not given.is_valid():
            raise ValidationError(given.errors)
        try:
            subscription = webhook_subscribe(
                partner=partner_of(request),
                url=given.validated_data["url"],
                events=given.validated_data["events"],
            )
        except WebhookRefused as exc:
            raise ValidationError({"url": [str(exc)]}) from exc
        self.target = f"webhook:{subscription.public_id}"
        body = _subscription_data(subscription) | {"secret": subscription.secret}
        return Response(SubscriptionCreatedOut(body).data, status=201)


class SubscriptionView(PartnerView):
    scopes = {"GET": WEBHOOKS_MANAGE, "DELETE": WEBHOOKS_MANAGE}

    @extend_schema(
        operation_id="webhook_read",
        summary="One subscription",
        responses={200: SubscriptionOut, **problems(401, 403, 404, 429)},
    )
    def get(self, request, public_id):
        self.target = f"webhook:{public_id}"
        return Response(SubscriptionOut(_subscription_data(_own(request, public_id))).data)

    @extend_schema(
        operation_id="webhook_end",
        summary="End a subscription (deliveries already made stay readable)",
        responses={204: None, **problems(401, 403, 404, 429)},
    )
    def delete(self, request, public_id):
        self.target = f"webhook:{public_id}"
        webhook_unsubscribe(subscription=_own(request, public_id), by=partner_of(request).account)
        return Response(status=204)


class DeliveriesView(PartnerView):
    scopes = {"GET": WEBHOOKS_MANAGE}

    @extend_schema(
        operation_id="webhook_deliveries",
        summary="The latest deliveries of a subscription, each with its attempts",
        responses={200: DeliveriesOut, **problems(401, 403, 404, 429)},
    )
    def get(self, request, public_id):
        self.target = f"webhook:{public_id}"
        subscription = _own(request, public_id)
        deliveries = (
            WebhookDelivery.objects.filter(subscription=subscription)
            .order_by("-created_at", "-pk")
            .prefetch_related(
                Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("at", "pk"))
            )[:DELIVERIES_SHOWN]
        )
        data = [
            {
                "id": d.message_id,
                "event": d.event,
                "status": d.status,
                "created_at": d.created_at,
                "delivered_at": d.delivered_at,
                "next_attempt_at": d.next_attempt_at
                if d.status == DeliveryStatus.PENDING
                else None,
                "payload": d.payload,
                "attempts": [
                    {
                        "at": a.at,
                        "status_code": a.status_code,
                        "error": a.error,
                        "duration_ms": a.duration_ms,
                    }
                    for a in d.attempt_log.all()
                ],
            }
            for d in deliveries
        ]
        return Response(DeliveriesOut({"deliveries": data}).data)
