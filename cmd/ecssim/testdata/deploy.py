"""A deploy script written against boto3, run by TestDeployWithBoto3
against `ecssim serve`: who am I, which subnets, register, create, wait
until stable, deploy an image that cannot be pulled and see the circuit
breaker roll back, fail a zone through the control path, reset, and all of
it again.

usage: deploy.py ENDPOINT GOOD_IMAGE BAD_IMAGE EXECUTION_ROLE_ARN
"""

import json
import sys
import urllib.request

import boto3

endpoint, good_image, bad_image, execution_role = sys.argv[1:5]


def control(route, body):
    """Posts JSON to a control route of the ecssim endpoint."""
    req = urllib.request.Request(
        endpoint + "/_ecssim/" + route,
        data=json.dumps(body).encode() if body is not None else b"",
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 200, resp.read()


sts = boto3.client("sts", endpoint_url=endpoint)
ec2 = boto3.client("ec2", endpoint_url=endpoint)
ecs = boto3.client("ecs", endpoint_url=endpoint)


def register(image):
    out = ecs.register_task_definition(
        family="web",
        networkMode="awsvpc",
        executionRoleArn=execution_role,
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {"name": "web", "image": image, "essential": True, "portMappings": [{"containerPort": 8080}]}
        ],
    )
    return out["taskDefinition"]["taskDefinitionArn"]


for round in (1, 2):
    assert sts.get_caller_identity()["Account"] == "123456789012"
    subnets = [
        s["SubnetId"]
        for s in ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    ]
    assert len(subnets) == 3, subnets

    ecs.create_cluster(clusterName="demo")
    good = register(good_image)
    ecs.create_service(
        cluster="demo",
        serviceName="web",
        taskDefinition=good,
        desiredCount=3,
        launchType="FARGATE",
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}},
        networkConfiguration={"awsvpcConfiguration": {"subnets": subnets}},
    )
    waiter = ecs.get_waiter("services_stable")
    waiter.wait(cluster="demo", services=["web"], WaiterConfig={"Delay": 1, "MaxAttempts": 20})

    bad = register(bad_image)
    ecs.update_service(cluster="demo", service="web", taskDefinition=bad)
    control("run", {"for": "20m"})
    waiter.wait(cluster="demo", services=["web"], WaiterConfig={"Delay": 1, "MaxAttempts": 20})
    service = ecs.describe_services(cluster="demo", services=["web"])["services"][0]
    assert service["taskDefinition"] == good, service["taskDefinition"]
    assert service["deployments"][0]["rolloutState"] == "COMPLETED", service["deployments"]

    control("call/sim:FailAvailabilityZone", {"availabilityZone": "us-east-1a"})
    zone = ec2.describe_availability_zones(ZoneNames=["us-east-1a"])["AvailabilityZones"][0]
    assert zone["State"] == "impaired", zone

    control("reset", None)
    assert ecs.list_clusters()["clusterArns"] == []
    print(f"round {round}: rolled back, zone impaired, reset")
